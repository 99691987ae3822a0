"""Control: a stream on the real handler, and a handler double stubbed with real types."""

from __future__ import annotations

from protodoubles import double, mock_of, when

from byok import ChatResult, Message, StreamChunk, Usage
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, streams

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_stream_pieces(handler: BYOKProtocol, adapters: Adapters) -> None:
    streams(adapters["openai"], "he", "llo")
    chunks: list[StreamChunk] = [c async for c in handler.stream_completion(HI, provider_id="openai")]
    assert "".join(c.text for c in chunks) == "hello"
    assert chunks[-1].finish_reason == "stop"


async def test_double_stubbed_with_real_types() -> None:
    handler = double(BYOKProtocol)
    result = ChatResult("hi", "openai", "gpt-4o-mini", Usage(1, 1), 0.0, "stop")
    mock_of(handler.generate_response).returns(result)
    when(lambda: handler.get_context_window("gpt-4o")).returns(128_000)
    assert await handler.generate_response(HI, temperature=0.1) is result
    assert handler.get_context_window("gpt-4o") == 128_000
