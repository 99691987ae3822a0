"""Token streaming on a handler double."""

from __future__ import annotations

from protodoubles import double, mock_of

from byok import StreamChunk
from contracts.byok_protocol import BYOKProtocol


async def test_stream_tokens_on_double() -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.stream_completion).yields(StreamChunk("x", "openai", "gpt-4o-mini"))
    if hasattr(handler, "stream_tokens"):
        mock_of(handler.stream_tokens).yields("x")
    assert [c.text async for c in handler.stream_completion([{"role": "user", "content": "hi"}])] == ["x"]
