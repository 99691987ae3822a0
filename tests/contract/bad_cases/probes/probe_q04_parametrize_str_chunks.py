"""Stream chunks arrive in order."""

from __future__ import annotations

import pytest
from protodoubles import double, mock_of

from byok import Message, StreamChunk
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize("chunks", [["he", "llo"], ["x"]])
async def test_chunks_in_order(chunks: list[StreamChunk]) -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.stream_completion).yields(*chunks)
    seen = [c async for c in handler.stream_completion(HI)]
    assert seen == chunks
