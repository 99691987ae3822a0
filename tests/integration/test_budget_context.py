"""Budgets and context windows, end to end: what is sent, what is charged, what is refused."""

from __future__ import annotations

import asyncio

import pytest

from byok import BudgetExceededError, Message
from byok.catalog import ModelCatalog
from byok.routing import bound_message_tokens
from tests.integration.conftest import HandlerFactory
from tests.loopback import LoopbackServer, Reply

ASK: list[Message] = [{"role": "user", "content": "ping"}]


async def test_budget_refuses_before_sending(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    handler = make_handler("openai", budget_usd=1e-9)
    with pytest.raises(BudgetExceededError) as caught:
        await handler.generate_response(ASK)
    assert caught.value.limit_usd == 1e-9
    with pytest.raises(BudgetExceededError):
        async for _ in handler.stream_completion(ASK):
            pass
    assert server.requests() == []
    assert handler.total_cost_usd == 0.0


async def test_budget_charges_real_usage_and_then_refuses(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script("openai", Reply(text="ok", usage=(1_000_000, 0)), Reply(usage=(1_000_000, 0)))
    handler = make_handler("openai", budget_usd=0.12)
    long: list[Message] = [{"role": "user", "content": "x" * 1_000_000}]  # up to a million tokens
    first = await handler.generate_response(long, model="gpt-4.1-nano", max_tokens=10)
    assert first.cost_usd == pytest.approx(0.10)  # one million input tokens at $0.10
    assert handler.total_cost_usd == pytest.approx(0.10)
    with pytest.raises(BudgetExceededError):  # $0.02 left is less than the estimate of a gpt-4o call
        await handler.generate_response([{"role": "user", "content": "x" * 40_000}], model="gpt-4o", max_tokens=10)
    assert len(server.requests()) == 1


async def test_budget_holds_under_concurrency(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    info = ModelCatalog.default().require("gpt-4o")
    prompt = "y" * 4000
    estimate = info.cost_usd(bound_message_tokens([{"role": "user", "content": prompt}]), 1000)  # the worst case
    handler = make_handler("openai", budget_usd=estimate * 5.5)
    for _ in range(20):
        server.script("openai", Reply(delay_s=0.05, usage=(1004, 1000)))

    async def one() -> bool:
        try:
            await handler.generate_response([{"role": "user", "content": prompt}], model="gpt-4o", max_tokens=1000)
        except BudgetExceededError:
            return False
        return True

    outcomes = await asyncio.gather(*(one() for _ in range(20)))
    assert sum(outcomes) == 5
    assert len(server.requests()) == 5
    assert handler.total_cost_usd <= estimate * 5.5


async def test_long_request_is_routed_to_a_model_whose_window_fits(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    handler = make_handler("anthropic", "gemini")
    huge: list[Message] = [{"role": "user", "content": "z" * 1_000_000}]  # ~250k tokens: over Claude's 200k
    plain = await handler.generate_response(huge)
    assert plain.provider_id == "gemini"
    assert server.requests("gemini")[0].body["messages"] == huge  # sent whole, because it fits
    pinned = await handler.generate_response(huge, provider_id="anthropic")  # pinned: truncated to fit instead
    assert pinned.provider_id == "anthropic"
    sent = server.requests("anthropic")[0].body["messages"][0]["content"]
    assert 0 < len(sent) <= (handler.get_context_window(pinned.model) - 1024 - 4) * 4


async def test_too_long_for_every_window_is_truncated_oldest_first(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    handler = make_handler("anthropic")
    old = "o" * 400_000
    conversation: list[Message] = [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": old},
        {"role": "assistant", "content": old},
        {"role": "user", "content": "and now?"},
    ]
    result = await handler.generate_response(conversation)
    assert result.text == "echo: and now?"
    [sent] = server.requests("anthropic")
    assert sent.body["system"] == "You are terse."
    assert sent.body["messages"] == [{"role": "user", "content": "and now?"}]
