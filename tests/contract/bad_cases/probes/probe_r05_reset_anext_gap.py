"""A stream refused by the only provider surfaces as some error."""

from __future__ import annotations

import contextlib

from byok import Message, StreamChunk
from tests.unit.conftest import Adapters, HandlerMaker, replies

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_stream_error_surfaces(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai")
    replies(adapters["openai"], "never streamed")
    chunks: list[StreamChunk] = []
    with contextlib.suppress(Exception):
        chunks = [c async for c in handler.stream_completion(HI)]
    assert chunks == []
