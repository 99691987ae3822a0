"""Callers get the reply's text."""

from __future__ import annotations

from protodoubles import double, mock_of

from byok import Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_reply_text() -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.generate_response).returns({"text": "hello", "provider_id": "openai"})  # type: ignore[arg-type]
    result = await handler.generate_response(HI)
    assert result is not None
    mock_of(handler.generate_response).assert_awaited_once_with(HI)
