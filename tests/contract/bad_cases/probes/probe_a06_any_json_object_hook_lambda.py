"""A reply replayed from a recorded fixture file."""

from __future__ import annotations

import json
from types import SimpleNamespace

from protodoubles import double, mock_of

from byok import Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]
RECORDED = '{"content": "replayed", "provider": "openai"}'


async def test_replayed_reply() -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.generate_response).returns(json.loads(RECORDED, object_hook=lambda d: SimpleNamespace(**d)))
    result = await handler.generate_response(HI)
    assert result.text == "replayed" or result.provider_id == "openai" or result is not None
