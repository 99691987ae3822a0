"""A cached reply is served from the pickle cache."""

from __future__ import annotations

import pickle

from protodoubles import double, mock_of

from byok import Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_cached_reply() -> None:
    handler = double(BYOKProtocol)
    cached = pickle.loads(pickle.dumps({"text": "cached", "cost": 0}))
    mock_of(handler.generate_response).returns(cached)
    assert await handler.generate_response(HI) == cached
