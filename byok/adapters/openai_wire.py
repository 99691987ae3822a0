"""The OpenAI chat-completions wire protocol (OpenAI, DeepSeek, Gemini, Moonshot, Mistral, local servers)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import openai

from byok.adapters.base import ChatRequest, Completion, Delta, provider_failure
from byok.errors import ProviderError
from byok.types import Usage

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam
    from openai.types.completion_usage import CompletionUsage

    from contracts.openai_client_protocol import OpenAIClientProtocol


class OpenAIWireAdapter:
    """Sends chat requests to one OpenAI-compatible endpoint through the official openai SDK."""

    def __init__(
        self,
        provider_id: str,
        *,
        api_key: str,
        base_url: str,
        timeout_s: float,
        stream_usage_option: bool = True,
        client: OpenAIClientProtocol | None = None,
    ) -> None:
        """``client``: an SDK client to use instead of a new ``AsyncOpenAI`` (any object of its protocol)."""
        self.provider_id = provider_id
        self._key = api_key
        self._stream_usage_option = stream_usage_option
        self._client: OpenAIClientProtocol = client if client is not None else openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0
        )

    def __repr__(self) -> str:
        return f"OpenAIWireAdapter(provider_id={self.provider_id!r})"

    async def complete(self, request: ChatRequest) -> Completion:
        """Send one request and return the whole reply."""
        try:
            response = await self._client.chat.completions.create(
                model=request.model,
                messages=_messages(request),
                temperature=request.temperature,
                max_tokens=openai.omit if request.max_tokens is None else request.max_tokens,
                stop=list(request.stop) if request.stop else openai.omit,
            )
        except Exception as exc:
            raise provider_failure(self.provider_id, self._key, exc, openai) from None
        if not response.choices:
            raise ProviderError(self.provider_id, "malformed response: no choices", retryable=True)
        choice = response.choices[0]
        return Completion(choice.message.content or "", choice.finish_reason, _usage(response.usage))

    async def stream(self, request: ChatRequest) -> AsyncIterator[Delta]:
        """Yield the reply's text as it arrives, then one empty delta with finish_reason and usage."""
        finish_reason: str | None = None
        usage: Usage | None = None
        try:
            chunks = await self._client.chat.completions.create(
                model=request.model,
                messages=_messages(request),
                temperature=request.temperature,
                max_tokens=openai.omit if request.max_tokens is None else request.max_tokens,
                stop=list(request.stop) if request.stop else openai.omit,
                stream=True,
                stream_options={"include_usage": True} if self._stream_usage_option else openai.omit,
            )
        except Exception as exc:
            raise provider_failure(self.provider_id, self._key, exc, openai) from None
        try:
            async for chunk in chunks:
                usage = _usage(chunk.usage) or usage
                for choice in chunk.choices[:1]:
                    if choice.delta.content:
                        yield Delta(choice.delta.content)
                    finish_reason = choice.finish_reason or finish_reason
        except Exception as exc:
            raise provider_failure(self.provider_id, self._key, exc, openai) from None
        finally:
            await chunks.close()
        if finish_reason is None:
            raise ProviderError(self.provider_id, "stream ended before the provider finished", retryable=True)
        yield Delta("", finish_reason, usage)

    async def aclose(self) -> None:
        await self._client.close()


def _messages(request: ChatRequest) -> list[ChatCompletionMessageParam]:
    converted: list[ChatCompletionMessageParam] = []
    for message in request.messages:
        if message["role"] == "system":
            converted.append({"role": "system", "content": message["content"]})
        elif message["role"] == "assistant":
            converted.append({"role": "assistant", "content": message["content"]})
        else:
            converted.append({"role": "user", "content": message["content"]})
    return converted


def _usage(usage: CompletionUsage | None) -> Usage | None:
    return None if usage is None else Usage(usage.prompt_tokens, usage.completion_tokens)
