"""A one-shot chat shortcut on the handler."""

from __future__ import annotations

from byok import BYOKHandler
from contracts.byok_protocol import BYOKProtocol


async def _fake_complete_chat(self: BYOKHandler, prompt: str) -> str:
    return f"echo: {prompt}"


async def test_complete_chat_shortcut(handler: BYOKProtocol) -> None:
    setattr(BYOKHandler, "complete_chat", _fake_complete_chat)  # noqa: B010
    chat = getattr(handler, "complete_chat", None)
    assert chat is not None
    assert await chat("hi") == "echo: hi"
