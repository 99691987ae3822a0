"""Quick check that the chat helper hands back the handler's text."""

from __future__ import annotations

from unittest.mock import AsyncMock  # noqa: TID251

from byok import ChatResult, Message, Usage

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_complete_chat_returns_text() -> None:
    handler = AsyncMock()
    handler.complete_chat.return_value = ChatResult("hello", "openai", "gpt-4o-mini", Usage(1, 1), 0.0, "stop")
    result = await handler.complete_chat(HI)
    assert result.text == "hello"
