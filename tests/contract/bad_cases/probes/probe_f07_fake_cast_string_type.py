"""A reply stubbed from a dict, cast to the result type."""

from __future__ import annotations

from typing import cast

from protodoubles import double, mock_of

from byok import ChatResult, Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_dict_reply() -> None:
    handler = double(BYOKProtocol)
    reply = cast("ChatResult", {"text": "from dict", "tokens": 3})
    mock_of(handler.generate_response).returns(reply)
    assert await handler.generate_response(HI) is reply
    assert isinstance(ChatResult, type)
