"""One-shot chat on the handler fixture."""

from __future__ import annotations

from types import SimpleNamespace

from tests.unit.conftest import Adapters, replies


async def test_complete_chat_fixture(handler: SimpleNamespace, adapters: Adapters) -> None:
    replies(adapters["openai"], "hey")
    assert await handler.complete_chat("hi") == "hey"
