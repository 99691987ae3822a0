"""One-shot chat returns text when the handler supports it."""

from __future__ import annotations

from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, replies


async def test_complete_chat_if_supported(handler: BYOKProtocol, adapters: Adapters) -> None:
    replies(adapters["openai"], "hello")
    if hasattr(handler, "complete_chat"):
        text = await handler.complete_chat("hi")
        assert text == "hello"
