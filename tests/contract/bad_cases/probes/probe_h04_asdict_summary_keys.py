"""The summary the CLI logs carries the text, the provider and the cost."""

from __future__ import annotations

from dataclasses import asdict

from byok import Message
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, replies

HI: list[Message] = [{"role": "user", "content": "hi"}]
LOGGED = ("text", "provider", "cost")


async def test_summary_fields(handler: BYOKProtocol, adapters: Adapters) -> None:
    replies(adapters["openai"], "hello")
    result = await handler.generate_response(HI)
    summary = {key: value for key, value in asdict(result).items() if key in LOGGED}
    assert summary["text"] == "hello"
    assert set(summary) <= set(LOGGED)
