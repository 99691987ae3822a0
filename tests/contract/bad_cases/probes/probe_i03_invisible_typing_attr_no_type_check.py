"""One-shot chat, checked loosely."""

from __future__ import annotations

import typing

from protodoubles import double, mock_of

from contracts.byok_protocol import BYOKProtocol


@typing.no_type_check
async def test_one_shot() -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.generate_response).returns("x")
    assert await handler.generate_response("hi", modle="gpt-4o") == "x"
