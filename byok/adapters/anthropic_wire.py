"""The Anthropic messages wire protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import anthropic

from byok.adapters.base import ChatRequest, Completion, Delta, malformed, provider_failure
from byok.adapters.transport import NOT_SENT, ReplyRejectedError, bounded_client
from byok.errors import ProviderError
from byok.providers import split_credentials
from byok.validation import checked_usage

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
        self,
        provider_id: str,
        *,
        api_key: str,
        base_url: str,
        timeout_s: float,
        max_response_bytes: int = 32 * 1024 * 1024,
        client: AnthropicClientProtocol | None = None,
    ) -> None:
        """``client``: an SDK client to use instead of a new ``AsyncAnthropic`` (any object of its protocol)."""
        self.provider_id = provider_id
        self._key = api_key
        if client is None:
            base_url, credentials = split_credentials(base_url)  # the URL that is logged carries no password
            http = bounded_client(anthropic.DefaultAsyncHttpxClient, max_response_bytes, credentials)
            client = anthropic.AsyncAnthropic(api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0, http_client=http)
        self._client: AnthropicClientProtocol = client

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
        except Exception as exc:
            raise provider_failure(self.provider_id, self._key, exc, anthropic, ReplyRejectedError, NOT_SENT) from None
        return _completion(self.provider_id, message)

    async def stream(self, request: ChatRequest) -> AsyncIterator[Delta]:
        """Yield the reply's text as it arrives, then one empty delta with finish_reason and usage."""
        input_tokens: object = None
        output_tokens: object = None
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
            raise provider_failure(self.provider_id, self._key, exc, anthropic, ReplyRejectedError, NOT_SENT) from None
        try:
            async for event in events:
                kind = getattr(event, "type", None)
                if kind == "message_start":
                    usage = getattr(getattr(event, "message", None), "usage", None)
                    input_tokens = getattr(usage, "input_tokens", None)  # the output count comes with message_delta
                elif kind == "content_block_delta":
                    delta = getattr(event, "delta", None)
                    text = getattr(delta, "text", None)
                    if getattr(delta, "type", None) == "text_delta" and text:
                        if not isinstance(text, str):
                            raise malformed(self.provider_id, "a text delta that is not text")
                        yield Delta(text)
                elif kind == "message_delta":
                    output_tokens = getattr(getattr(event, "usage", None), "output_tokens", None)
                    finish_reason = _finish(getattr(getattr(event, "delta", None), "stop_reason", None)) or finish_reason
        except ProviderError:
            raise
        except Exception as exc:
            raise provider_failure(self.provider_id, self._key, exc, anthropic, ReplyRejectedError, NOT_SENT) from None
        finally:
            await events.close()
        if finish_reason is None:
            raise ProviderError(self.provider_id, "stream ended before the provider finished", retryable=True)
        yield Delta("", finish_reason, checked_usage(input_tokens, output_tokens))

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


def _completion(provider_id: str, message: object) -> Completion:
    """The reply of a 200, checked field by field: a body that is HTML, a JSON array, or a message whose
    content is not a list of blocks is a malformed reply, not a crash."""
    content = getattr(message, "content", None)
    if not isinstance(content, list):
        raise malformed(provider_id, "no list of content blocks")
    pieces: list[str] = []
    for block in content:
        text = getattr(block, "text", None)
        if getattr(block, "type", None) == "text":
            if not isinstance(text, str):
                raise malformed(provider_id, "a text block without text")
            pieces.append(text)
    usage = getattr(message, "usage", None)
    counts = checked_usage(getattr(usage, "input_tokens", None), getattr(usage, "output_tokens", None))
    return Completion("".join(pieces), _finish(getattr(message, "stop_reason", None)) or "stop", counts)


def _finish(stop_reason: object) -> str | None:
    if not isinstance(stop_reason, str) or not stop_reason:
        return None
    return _FINISH.get(stop_reason, stop_reason)
