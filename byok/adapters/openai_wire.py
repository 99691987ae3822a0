"""The OpenAI chat-completions wire protocol (OpenAI, DeepSeek, Gemini, Moonshot, Mistral, local servers)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import openai

from byok.adapters.base import ChatRequest, Completion, Delta, malformed, provider_failure
from byok.adapters.transport import NOT_SENT, ReplyRejectedError, bounded_client
from byok.errors import ProviderError
from byok.providers import split_credentials
from byok.types import Usage
from byok.validation import checked_usage

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

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
        max_response_bytes: int = 32 * 1024 * 1024,
        client: OpenAIClientProtocol | None = None,
    ) -> None:
        """``client``: an SDK client to use instead of a new ``AsyncOpenAI`` (any object of its protocol)."""
        self.provider_id = provider_id
        self._key = api_key
        self._stream_usage_option = stream_usage_option
        if client is None:
            base_url, credentials = split_credentials(base_url)  # the URL that is logged carries no password
            http = bounded_client(openai.DefaultAsyncHttpxClient, max_response_bytes, credentials)
            client = openai.AsyncOpenAI(api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0, http_client=http)
        self._client: OpenAIClientProtocol = client

    def __repr__(self) -> str:
        return f"OpenAIWireAdapter(provider_id={self.provider_id!r})"

    async def complete(self, request: ChatRequest) -> Completion:
        """Send one request and return the whole reply."""
        try:
            response = await self._client.chat.completions.create(
                model=request.model,
                messages=[],  # sent in extra_body, as they are (see _body)
                temperature=request.temperature,
                max_tokens=openai.omit if request.max_tokens is None else request.max_tokens,
                stop=list(request.stop) if request.stop else openai.omit,
                extra_body=_body(request),
            )
        except Exception as exc:
            raise provider_failure(self.provider_id, self._key, exc, openai, ReplyRejectedError, NOT_SENT) from None
        return _completion(self.provider_id, response)

    async def stream(self, request: ChatRequest) -> AsyncIterator[Delta]:
        """Yield the reply's text as it arrives, then one empty delta with finish_reason and usage."""
        finish_reason: str | None = None
        usage: Usage | None = None
        try:
            chunks = await self._client.chat.completions.create(
                model=request.model,
                messages=[],  # sent in extra_body, as they are (see _body)
                temperature=request.temperature,
                max_tokens=openai.omit if request.max_tokens is None else request.max_tokens,
                stop=list(request.stop) if request.stop else openai.omit,
                stream=True,
                stream_options={"include_usage": True} if self._stream_usage_option else openai.omit,
                extra_body=_body(request),
            )
        except Exception as exc:
            raise provider_failure(self.provider_id, self._key, exc, openai, ReplyRejectedError, NOT_SENT) from None
        try:
            async for chunk in chunks:
                usage = _usage(getattr(chunk, "usage", None)) or usage
                choices = getattr(chunk, "choices", None)
                if not isinstance(choices, list):
                    raise malformed(self.provider_id, "a stream chunk without a list of choices")
                for choice in choices[:1]:
                    content = getattr(getattr(choice, "delta", None), "content", None)
                    if content is not None and not isinstance(content, str):
                        raise malformed(self.provider_id, "a stream chunk whose content is not text")
                    if content:
                        yield Delta(content)
                    finish_reason = _finish(getattr(choice, "finish_reason", None)) or finish_reason
        except ProviderError:
            raise
        except Exception as exc:
            raise provider_failure(self.provider_id, self._key, exc, openai, ReplyRejectedError, NOT_SENT) from None
        finally:
            await chunks.close()
        if finish_reason is None:
            raise ProviderError(self.provider_id, "stream ended before the provider finished", retryable=True)
        yield Delta("", finish_reason, usage)

    async def aclose(self) -> None:
        await self._client.close()


def _completion(provider_id: str, response: object) -> Completion:
    """The reply of a 200, checked field by field: a body that is HTML, a JSON array, or a completion
    without a usable first choice is a malformed reply, not a crash."""
    choices = getattr(response, "choices", None)
    if not isinstance(choices, list) or not choices:
        raise malformed(provider_id, "no list of choices")
    message = getattr(choices[0], "message", None)
    if message is None:
        raise malformed(provider_id, "the first choice has no message")
    content = getattr(message, "content", None)
    if content is not None and not isinstance(content, str):
        raise malformed(provider_id, "the message content is not text")
    finish = _finish(getattr(choices[0], "finish_reason", None)) or "stop"
    return Completion(content or "", finish, _usage(getattr(response, "usage", None)))


def _finish(reason: object) -> str | None:
    return reason if isinstance(reason, str) and reason else None


def _body(request: ChatRequest) -> dict[str, object]:
    """The messages, put into the request body as they are. Given as ``messages``, the SDK converts each
    one against its six message types, synchronously (about 0.4 ms a message): a long conversation would
    block the event loop for seconds, outside any deadline. They are plain JSON already."""
    return {"messages": _messages(request)}


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


def _usage(usage: object) -> Usage | None:
    """Reported token counts, or None when they are missing or unusable (null, not ints, negative)."""
    if usage is None:
        return None
    return checked_usage(getattr(usage, "prompt_tokens", None), getattr(usage, "completion_tokens", None))
