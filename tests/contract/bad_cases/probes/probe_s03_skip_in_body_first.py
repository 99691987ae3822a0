"""Stream tokens one by one (not ready yet)."""

from __future__ import annotations

import pytest

from byok import Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_stream_tokens(handler: BYOKProtocol) -> None:
    pytest.skip("waiting on the streaming rework")
    tokens = [t async for t in handler.stream_completion(HI, chunk_size=1)]
    assert tokens
