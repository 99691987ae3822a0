"""Chat through a handler that is the real one for the checker and a fake at run time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from byok import ChatResult, Message, Usage

HI: list[Message] = [{"role": "user", "content": "hi"}]

if TYPE_CHECKING:
    from byok import BYOKHandler as Handler
else:

    class Handler:
        def __init__(self, **settings):
            self.settings = settings

        async def generate_response(self, prompt, **options):
            return ChatResult(prompt, "openai", "gpt-4o-mini", Usage(1, 1), 0.0, "stop")


async def test_chat_round_trip() -> None:
    handler = Handler(api_keys={})
    result = await handler.generate_response(HI)
    assert result.provider_id == "openai"
