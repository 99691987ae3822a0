"""Code that takes a handler works with a light fake."""

from __future__ import annotations

from byok import Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


class FakeHandler:
    async def complete_chat(self, messages: list[Message]) -> str:
        return "fake"


async def ask(handler: BYOKProtocol) -> str:
    return (await handler.generate_response(HI)).text


async def test_ask_with_fake() -> None:
    assert await ask(FakeHandler()) == "fake"
