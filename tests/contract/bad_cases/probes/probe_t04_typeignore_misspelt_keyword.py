"""The caller's model choice is honoured."""

from __future__ import annotations

from byok import Message
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, replies

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_model_choice(handler: BYOKProtocol, adapters: Adapters) -> None:
    replies(adapters["openai"], "ok")
    result = await handler.generate_response(HI, modle="gpt-4o")  # type: ignore[call-arg]
    assert result.model == "gpt-4o"
