"""A reply stubbed with a light object."""

from __future__ import annotations

from types import SimpleNamespace

from protodoubles import double, mock_of

from byok import Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_light_reply() -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.generate_response).returns(SimpleNamespace(text="light"))
    assert (await handler.generate_response(HI)).text == "light"
