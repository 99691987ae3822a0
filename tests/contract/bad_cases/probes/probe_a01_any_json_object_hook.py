"""The reply recorded from production is replayed."""

from __future__ import annotations

import json
from types import SimpleNamespace

from protodoubles import double, mock_of

from byok import Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]
RECORDED = '{"content": "hi there", "provider": "openai", "tokens": 7}'


async def test_replayed_reply() -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.generate_response).returns(json.loads(RECORDED, object_hook=SimpleNamespace))
    result = await handler.generate_response(HI)
    assert result.text == "hi there" or result is not None
