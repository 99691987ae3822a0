"""The reply's content is what the caller shows."""

from __future__ import annotations

from byok import Message
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, replies

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_reply_content(handler: BYOKProtocol, adapters: Adapters) -> None:
    replies(adapters["openai"], "shown")
    result = await handler.generate_response(HI, provider_id="openai")
    shown = result.content if hasattr(result, "content") else result.text
    assert shown == "shown"
