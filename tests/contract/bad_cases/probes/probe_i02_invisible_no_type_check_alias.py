"""Streaming on a handler double, checked loosely."""

from __future__ import annotations

from typing import no_type_check as relaxed

from protodoubles import double, mock_of

from contracts.byok_protocol import BYOKProtocol


@relaxed
async def test_stream_loose() -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.stream_completion).yields("a", "b")
    assert [c async for c in handler.stream_completion("hi")] == ["a", "b"]
