"""A consumer that stops reading a stream early: the provider's stream is closed, and what was delivered
is charged at its bound (the provider bills what it generated, and reports it only at the end)."""

from __future__ import annotations

import gc

import pytest

from byok import Message
from byok.routing import bound_message_tokens, bound_tokens
from tests.integration.conftest import HandlerFactory
from tests.loopback import LoopbackServer, Reply

ASK: list[Message] = [{"role": "user", "content": "ping"}]


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
async def test_stopping_early_closes_the_stream_and_releases_the_budget(
    provider_id: str, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    server.script(provider_id, Reply(text="one two three four five"))
    handler = make_handler(provider_id, budget_usd=1.0)
    stream = handler.stream_completion(ASK)
    first = await anext(stream)
    await stream.aclose()  # type: ignore[attr-defined]  # ty: ignore[missing-attribute]  # stream_completion is an async generator
    gc.collect()  # an unclosed SDK stream would surface here as an unraisable-exception warning (an error)
    assert first.text == "one "
    info = handler.catalog.require(first.model)
    assert handler.total_cost_usd == pytest.approx(info.cost_usd(bound_message_tokens(ASK), bound_tokens("one ")))
    assert handler.budget.reserved_usd == 0.0  # the reservation was released
    result = await handler.generate_response(ASK)  # the connection pool is still usable
    assert result.text == "echo: ping"
