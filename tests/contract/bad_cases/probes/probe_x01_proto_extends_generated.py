"""One-shot chat on a handler double."""

from __future__ import annotations

from typing import Protocol

from protodoubles import double, mock_of

from contracts.byok_protocol import BYOKProtocol


class ChatHandler(BYOKProtocol, Protocol):
    async def complete_chat(self, prompt: str) -> str: ...


async def test_complete_chat_double() -> None:
    handler = double(ChatHandler)
    mock_of(handler.complete_chat).returns("hi back")
    assert await handler.complete_chat("hi") == "hi back"
