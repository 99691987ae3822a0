"""Control: failover and the reply, on the real handler over adapter doubles."""

from __future__ import annotations

from protodoubles import mock_of

from byok import Message
from tests.unit.conftest import Adapters, HandlerMaker, fails, replies

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_failover_reply(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "anthropic")
    fails(adapters["openai"], 503)
    replies(adapters["anthropic"], "rescued")
    result = await handler.generate_response(HI, provider_id="openai")
    assert (result.provider_id, result.text) == ("anthropic", "rescued")
    assert mock_of(adapters["openai"].complete).await_count == 1
