"""The stream is read through whichever method the handler offers."""

from __future__ import annotations

from byok import Message
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, streams

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_stream_through_either_method(handler: BYOKProtocol, adapters: Adapters) -> None:
    streams(adapters["openai"], "a", "b")
    if hasattr(handler, "stream_tokens"):
        pieces = [t async for t in handler.stream_tokens(HI, provider_id="openai")]
    else:
        pieces = [c.text async for c in handler.stream_completion(HI, provider_id="openai")]
    assert "".join(pieces) == "ab"
