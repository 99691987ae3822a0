"""Reply text on a handler double."""

from __future__ import annotations

from typing import TYPE_CHECKING

from protodoubles import double, mock_of

from byok import Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]

if not TYPE_CHECKING:

    async def test_reply_text() -> None:
        handler = double(BYOKProtocol)
        mock_of(handler.generate_response).returns("just text")
        assert await handler.generate_response(HI) == "just text"
