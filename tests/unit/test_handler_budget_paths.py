"""The handler's paths on typed doubles of its adapters: what each attempt reserves, the output cap it
is sent, and what it is charged."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from protodoubles import mock_of

from byok import (
    AllProvidersFailedError,
    BudgetExceededError,
    BYOKHandler,
    Message,
    ProviderError,
    Usage,
)
from byok.adapters.base import ChatRequest, Completion, Delta
from byok.attempts import MIN_OUTPUT_TOKENS
from byok.routing import DEFAULT_MAX_OUTPUT_TOKENS, bound_message_tokens, bound_tokens, estimate_message_tokens
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, HandlerMaker, fails, replies, streams
from tests.unit.handler_paths import CATALOG, HI, asked, collect, skip_catalog


async def test_every_failed_attempt_releases_its_reservation(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler(budget_usd=1.0)
    fails(adapters["openai"], 503)
    fails(adapters["deepseek"], None)
    replies(adapters["anthropic"], "third time")
    await handler.generate_response(HI)
    assert handler.budget.reserved_usd == 0.0
    # The 503 was refused, not billed; a failure with no status (a timeout, a lost connection) may have
    # been read by the provider, and is charged its input at its bound.
    assert list(handler.costs_by_provider()) == ["deepseek", "anthropic"]
    input_cost = CATALOG.require(asked(adapters, "deepseek")[0].model).cost_usd(bound_message_tokens(HI), 0)
    assert handler.costs_by_provider()["deepseek"] == pytest.approx(input_cost)
    fails(adapters["anthropic"], 400, retryable=False)
    fails(adapters["openai"], 500)
    with pytest.raises(ProviderError):
        await handler.generate_response(HI)
    assert handler.budget.reserved_usd == 0.0


async def test_all_failing_streams_release_every_reservation(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "deepseek", budget_usd=1.0)
    for provider_id in ("openai", "deepseek"):
        mock_of(adapters[provider_id].stream).raises(ProviderError(provider_id, "down", status=503, retryable=True))
    with pytest.raises(AllProvidersFailedError, match="all 2 provider attempt"):
        await collect(handler)
    assert (handler.budget.reserved_usd, handler.total_cost_usd) == (0.0, 0.0)


async def test_an_empty_completion_is_charged_and_fails_over(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "deepseek")
    replies(adapters["openai"], "", usage=Usage(20, 0))
    replies(adapters["deepseek"], "second")
    result = await handler.generate_response(HI, provider_id="openai")
    assert result.provider_id == "deepseek"
    assert handler.costs_by_provider()["openai"] == pytest.approx(CATALOG.require("gpt-4.1-nano").cost_usd(20, 0))


async def test_without_max_tokens_the_cap_is_the_default_or_what_the_window_leaves(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai")
    replies(adapters["openai"], "ok")
    await handler.generate_response(HI)
    long: list[Message] = [{"role": "user", "content": "z" * 500_000}]  # ~125k tokens: gpt-4o's window leaves ~3k
    await handler.generate_response(long, model="gpt-4o")
    first, second = asked(adapters, "openai")
    assert first.max_tokens == DEFAULT_MAX_OUTPUT_TOKENS
    assert second.max_tokens == 128_000 - estimate_message_tokens(long)


async def test_the_cap_is_what_the_budget_left_pays_for(make_handler: HandlerMaker, adapters: Adapters) -> None:
    info = CATALOG.require("gpt-4o")
    input_cost = info.cost_usd(bound_message_tokens(HI), 0)
    budget = input_cost + info.cost_usd(0, 1000) + 1e-7  # room for about 1000 output tokens
    handler = make_handler("openai", budget_usd=budget)
    replies(adapters["openai"], "ok", usage=Usage(10, 10**6))  # claims far more than the cap
    result = await handler.generate_response(HI, model="gpt-4o", temperature=0.3, stop="END")
    [request] = asked(adapters, "openai")
    assert request == ChatRequest("gpt-4o", tuple(HI), 0.3, 1000, ("END",))
    assert result.usage.output_tokens == 1000  # charged at most the cap it was sent
    assert handler.total_cost_usd <= budget
    with pytest.raises(BudgetExceededError):  # nothing left for even MIN_OUTPUT_TOKENS
        await handler.generate_response(HI, model="gpt-4o")


async def test_an_explicit_max_tokens_must_fit_whole(make_handler: HandlerMaker, adapters: Adapters) -> None:
    info = CATALOG.require("gpt-4o")
    budget = info.cost_usd(bound_message_tokens(HI), 500)
    handler = make_handler("openai", budget_usd=budget * 1.01)
    replies(adapters["openai"], "ok")
    with pytest.raises(BudgetExceededError):
        await handler.generate_response(HI, model="gpt-4o", max_tokens=600)
    await handler.generate_response(HI, model="gpt-4o", max_tokens=500)
    assert [r.max_tokens for r in asked(adapters, "openai")] == [500]


async def test_the_smallest_cap_granted_is_min_output_tokens(make_handler: HandlerMaker, adapters: Adapters) -> None:
    info = CATALOG.require("gpt-4o")
    fixed = info.cost_usd(bound_message_tokens(HI), 0)
    replies(adapters["openai"], "ok")
    enough = make_handler("openai", budget_usd=fixed + info.cost_usd(0, MIN_OUTPUT_TOKENS) * 1.001)
    await enough.generate_response(HI, model="gpt-4o")
    assert asked(adapters, "openai")[0].max_tokens == MIN_OUTPUT_TOKENS
    short = make_handler("openai", budget_usd=fixed + info.cost_usd(0, MIN_OUTPUT_TOKENS) * 0.99)
    with pytest.raises(BudgetExceededError):
        await short.generate_response(HI, model="gpt-4o")


async def test_a_failover_step_over_budget_is_skipped_and_listed(make_handler: HandlerMaker, adapters: Adapters) -> None:
    cheap = CATALOG.require("gpt-4.1-nano")
    handler = make_handler("openai", "anthropic", budget_usd=cheap.cost_usd(bound_message_tokens(HI), 4096) * 1.5)
    fails(adapters["openai"], 503)
    with pytest.raises(AllProvidersFailedError) as caught:
        await handler.generate_response(HI, provider_id="openai", max_tokens=4096)
    assert [(a.provider_id, a.model, a.status) for a in caught.value.attempts] == [
        ("openai", "gpt-4.1-nano", 503),
        ("anthropic", "claude-3-5-haiku-latest", None),
    ]
    assert "budget of" in caught.value.attempts[1].reason
    mock_of(adapters["anthropic"].complete).assert_not_awaited()


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_a_step_over_budget_in_the_middle_is_skipped_and_the_next_one_serves(stream: bool, adapters: Adapters) -> None:
    handler = BYOKHandler(api_keys={}, clients=adapters, catalog=skip_catalog(), budget_usd=0.01)
    fails(adapters["openai"], 503)
    mock_of(adapters["openai"].stream).raises(ProviderError("openai", "down", status=503, retryable=True))
    replies(adapters["anthropic"], "third")
    streams(adapters["anthropic"], "third")
    if stream:
        served = (await collect(handler, provider_id="openai", prefer_cost=False))[-1].provider_id
    else:
        served = (await handler.generate_response(HI, provider_id="openai", prefer_cost=False)).provider_id
    assert served == "anthropic"
    mock_of(adapters["deepseek"].complete).assert_not_awaited()
    mock_of(adapters["deepseek"].stream).assert_not_called()


async def test_a_cancelled_stream_is_charged_for_what_it_delivered(handler: BYOKProtocol, adapters: Adapters) -> None:
    async def slow_tail(request: ChatRequest) -> AsyncIterator[Delta]:
        yield Delta("abcdefgh")
        await asyncio.sleep(30)
        yield Delta("", "stop", Usage(1, 1))

    mock_of(adapters["openai"].stream).side_effect(slow_tail)
    got: list[str] = []

    async def consume() -> None:
        async for chunk in handler.stream_completion(HI):
            got.append(chunk.text)

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(consume(), 0.1)
    assert got == ["abcdefgh"]
    expected = CATALOG.require("gpt-4.1-nano").cost_usd(bound_message_tokens(HI), bound_tokens("abcdefgh"))
    assert handler.costs_by_provider() == {"openai": pytest.approx(expected)}
    assert handler.budget.reserved_usd == 0.0


async def test_unusable_usage_is_logged_and_charged_as_an_estimate(
    handler: BYOKProtocol, adapters: Adapters, caplog: pytest.LogCaptureFixture
) -> None:
    replies(adapters["openai"], "abcdefgh", usage=None)
    result = await handler.generate_response(HI)
    assert result.usage == Usage(bound_message_tokens(HI), bound_tokens("abcdefgh"))
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("byok", "WARNING", "openai reported no usable token counts; charging an estimate")
    ]


async def test_a_finished_request_releases_only_its_own_reservation(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", budget_usd=10.0)
    release = asyncio.Event()
    hold: list[Message] = [{"role": "user", "content": "hold"}]

    async def held_until_released(request: ChatRequest) -> Completion:
        if request.messages[-1]["content"] == "hold":
            await release.wait()
        return Completion("ok", "stop", Usage(1, 1))

    mock_of(adapters["openai"].complete).side_effect(held_until_released)
    held = asyncio.create_task(handler.generate_response(hold))
    await asyncio.sleep(0)
    await handler.generate_response(HI)
    info = CATALOG.require("gpt-4.1-nano")
    one = info.cost_usd(bound_message_tokens(hold), 0) + DEFAULT_MAX_OUTPUT_TOKENS * info.cost_usd(0, 1)
    assert handler.budget.reserved_usd == pytest.approx(one)  # the held request's reservation is untouched
    release.set()
    await held
    assert handler.budget.reserved_usd == pytest.approx(0.0, abs=1e-15)


async def test_a_model_off_the_catalog_goes_to_the_named_provider_uncapped_by_any_window(handler: BYOKProtocol, adapters: Adapters) -> None:
    held: list[float] = []

    async def custom(request: ChatRequest) -> Completion:
        held.append(handler.budget.reserved_usd)
        return Completion("custom", "stop", Usage(3, 3))

    mock_of(adapters["deepseek"].complete).side_effect(custom)
    result = await handler.generate_response(HI, model="my-finetune", provider_id="deepseek", temperature=0.3, stop="END")
    assert (result.provider_id, result.model, result.cost_usd) == ("deepseek", "my-finetune", 0.0)
    [request] = asked(adapters, "deepseek")
    assert request == ChatRequest("my-finetune", tuple(HI), 0.3, DEFAULT_MAX_OUTPUT_TOKENS, ("END",))
    assert held == [0.0]  # no price, so nothing to hold
