"""Streaming collects the whole reply."""

from __future__ import annotations

from byok import Message
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, streams

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_stream_collects(handler: BYOKProtocol, adapters: Adapters) -> None:
    streams(adapters["openai"], "he", "llo")
    chunks = await handler.stream_completion(HI, provider_id="openai")  # type: ignore[misc]
    assert "".join(c.text for c in chunks) == "hello"
