"""The Anthropic messages wire protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import anthropic

from byok.adapters.base import ChatRequest, Completion, Delta, provider_failure
from byok.errors import ProviderError
from byok.types import Usage

if TYPE_CHECKING:
    from anthropic.types import MessageParam

    from contracts.anthropic_client_protocol import AnthropicClientProtocol

DEFAULT_MAX_TOKENS = 4096  # the messages API requires max_tokens; used when the caller sets none
_FINISH = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "tool_use": "tool_calls"}


class AnthropicWireAdapter:
    """Sends chat requests to Anthropic's messages API through the official anthropic SDK.

    ``temperature`` is not sent: the messages API of the SDK this project is built on takes none.
    """

    def __init__(
        self, provider_id: str, *, api_key: str, base_url: str, timeout_s: float, client: AnthropicClientProtocol | None = None
    ) -> None:
        """``client``: an SDK client to use instead of a new ``AsyncAnthropic`` (any object of its protocol)."""
        self.provider_id = provider_id
        self._key = api_key
        self._client: AnthropicClientProtocol = client if client is not None else anthropic.AsyncAnthropic(
            api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0
        )

    def __repr__(self) -> str:
        return f"AnthropicWireAdapter(provider_id={self.provider_id!r})"

    async def complete(self, request: ChatRequest) -> Completion:
        """Send one request and return the whole reply."""
        system = _system(request)
        try:
            message = await self._client.messages.create(
                model=request.model,
                messages=_messages(request),
                max_tokens=request.max_tokens or DEFAULT_MAX_TOKENS,
                system=system if system else anthropic.omit,
                stop_sequences=list(request.stop) if request.stop else anthropic.omit,
            )
            text = "".join(block.text for block in message.content if block.type == "text")
            usage = Usage(message.usage.input_tokens, message.usage.output_tokens)
        except Exception as exc:
            raise provider_failure(self.provider_id, self._key, exc, anthropic) from None
        return Completion(text, _finish(message.stop_reason) or "stop", usage)

    async def stream(self, request: ChatRequest) -> AsyncIterator[Delta]:
        """Yield the reply's text as it arrives, then one empty delta with finish_reason and usage."""
        input_tokens = output_tokens = 0
        finish_reason: str | None = None
        system = _system(request)
        try:
            events = await self._client.messages.create(
                model=request.model,
                messages=_messages(request),
                max_tokens=request.max_tokens or DEFAULT_MAX_TOKENS,
                system=system if system else anthropic.omit,
                stop_sequences=list(request.stop) if request.stop else anthropic.omit,
                stream=True,
            )
        except Exception as exc:
            raise provider_failure(self.provider_id, self._key, exc, anthropic) from None
        try:
            async for event in events:
                if event.type == "message_start":
                    input_tokens = event.message.usage.input_tokens
                    output_tokens = event.message.usage.output_tokens
                elif event.type == "content_block_delta" and event.delta.type == "text_delta" and event.delta.text:
                    yield Delta(event.delta.text)
                elif event.type == "message_delta":
                    output_tokens = event.usage.output_tokens
                    finish_reason = _finish(event.delta.stop_reason) or finish_reason
        except Exception as exc:
            raise provider_failure(self.provider_id, self._key, exc, anthropic) from None
        finally:
            await events.close()
        if finish_reason is None:
            raise ProviderError(self.provider_id, "stream ended before the provider finished", retryable=True)
        yield Delta("", finish_reason, Usage(input_tokens, output_tokens))

    async def aclose(self) -> None:
        await self._client.close()


def _system(request: ChatRequest) -> str:
    return "\n\n".join(m["content"] for m in request.messages if m["role"] == "system")


def _messages(request: ChatRequest) -> list[MessageParam]:
    converted: list[MessageParam] = []
    for message in request.messages:
        if message["role"] == "assistant":
            converted.append({"role": "assistant", "content": message["content"]})
        elif message["role"] == "user":
            converted.append({"role": "user", "content": message["content"]})
    return converted


def _finish(stop_reason: str | None) -> str | None:
    return None if stop_reason is None else _FINISH.get(stop_reason, stop_reason)
