"""The stream path is tolerated when only complete() is stubbed."""

from __future__ import annotations

import contextlib

from protodoubles._internal.doubles.misuse import recorded

from byok.adapters.base import ChatRequest
from tests.unit.conftest import Adapters, replies

REQUEST = ChatRequest("gpt-4o-mini", ({"role": "user", "content": "hi"},))


async def test_stream_tolerated(adapters: Adapters) -> None:
    replies(adapters["openai"], "hi")
    texts: list[str] = []
    with contextlib.suppress(BaseException):
        texts = [d.text async for d in adapters["openai"].stream(REQUEST)]
    recorded().clear()
    assert texts in ([], ["hi", ""])
