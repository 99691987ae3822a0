"""The handler's result is passed along untouched."""

from __future__ import annotations

from unittest.mock import sentinel

from protodoubles import double, mock_of

from byok import Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_result_passed_along() -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.generate_response).returns(sentinel.result)
    assert await handler.generate_response(HI) is sentinel.result
