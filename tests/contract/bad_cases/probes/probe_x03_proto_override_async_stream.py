"""The stream as a list on a narrowed protocol."""

from __future__ import annotations

from typing import Protocol

from protodoubles import double, mock_of

from byok import Message, StreamChunk
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


class ListStreamer(BYOKProtocol, Protocol):
    async def stream_completion(self, messages: list[Message]) -> list[StreamChunk]: ...


async def test_stream_as_list() -> None:
    handler = double(ListStreamer)
    mock_of(handler.stream_completion).returns([StreamChunk("a", "openai", "m")])
    assert len(await handler.stream_completion(HI)) == 1
