"""The handler double answers the old chat call."""

from __future__ import annotations

from contracts.byok_protocol import BYOKProtocol

AsyncMockLike = __import__("unittest.mock", fromlist=["AsyncMock"]).AsyncMock


async def test_old_chat_call() -> None:
    handler = AsyncMockLike(spec=BYOKProtocol)
    handler.generate_response.return_value = "plain text"
    assert await handler.generate_response("hi", modle="gpt-4o") == "plain text"
