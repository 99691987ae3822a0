"""complete_chat keeps answering like generate_response (the shim the CLI still calls)."""

from __future__ import annotations

from collections.abc import Sequence

from byok import BYOKHandler, ChatResult, Message
from tests.unit.conftest import Adapters, replies

HI: list[Message] = [{"role": "user", "content": "hi"}]


class CompatHandler(BYOKHandler):
    async def complete_chat(self, messages: Sequence[Message], model: str | None = None) -> ChatResult:
        return await self.generate_response(messages, model=model)


async def test_complete_chat_replies(adapters: Adapters) -> None:
    replies(adapters["openai"], "hello")
    handler = CompatHandler(api_keys={}, clients={"openai": adapters["openai"]})
    result = await handler.complete_chat(HI)
    assert result.text == "hello"
