"""Callers accept whatever the handler replies."""

from __future__ import annotations

import pytest
from protodoubles import double, mock_of

from byok import ChatResult, Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize("reply", ["hello", {"text": "hello"}])
async def test_reply_passes_through(reply: ChatResult) -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.generate_response).returns(reply)
    assert await handler.generate_response(HI) == reply
