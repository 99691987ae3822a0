"""The handler's paths on typed doubles of its adapters: what each attempt asks for, reserves, charges,
and when it fails over; the output cap; deadlines."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from byok import (
    AllProvidersFailedError,
    BudgetExceededError,
    BYOKHandler,
    InvalidRequestError,
    Message,
    ProviderError,
    StreamChunk,
    StreamInterruptedError,
    Usage,
)
from byok.adapters.base import ChatRequest, Completion, Delta
from byok.catalog import ModelCatalog
from byok.types import ModelInfo, QueryComplexity
from byok.attempts import MIN_OUTPUT_TOKENS
from byok.routing import DEFAULT_MAX_OUTPUT_TOKENS, bound_message_tokens, estimate_message_tokens
from contracts.byok_protocol import BYOKProtocol
from contracts.doubles import mock_of
from tests.unit.conftest import Adapters, HandlerMaker, fails, replies, streams

CATALOG = ModelCatalog.default()
HI: list[Message] = [{"role": "user", "content": "hi"}]


def asked(adapters: Adapters, provider_id: str, stream: bool = False) -> list[ChatRequest]:
    method = adapters[provider_id].stream if stream else adapters[provider_id].complete
    return [call.args[0] for call in mock_of(method).calls]


async def collect(handler: BYOKProtocol, messages: list[Message] = HI, **options: str | float) -> list[StreamChunk]:
    return [c async for c in handler.stream_completion(messages, **options)]  # type: ignore[arg-type]  # str and float options only


async def test_every_failed_attempt_releases_its_reservation(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler(budget_usd=1.0)
    fails(adapters["openai"], 503)
    fails(adapters["deepseek"], None)
    replies(adapters["anthropic"], "third time")
    await handler.generate_response(HI)
    assert handler.budget.reserved_usd == 0.0
    assert list(handler.costs_by_provider()) == ["anthropic"]
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


async def test_an_empty_stream_fails_over(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "deepseek")
    mock_of(adapters["openai"].stream).yields(Delta("", "stop", Usage(3, 0)))
    streams(adapters["deepseek"], "from deepseek")
    chunks = await collect(handler, provider_id="openai")
    assert "".join(c.text for c in chunks) == "from deepseek"
    assert {c.provider_id for c in chunks} == {"deepseek"}


async def test_a_stream_that_just_stops_fails_over(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "deepseek")
    mock_of(adapters["openai"].stream).yields()
    streams(adapters["deepseek"], "ok")
    chunks = await collect(handler, provider_id="openai")
    assert chunks[-1].provider_id == "deepseek"


async def test_an_empty_completion_is_charged_and_fails_over(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "deepseek")
    replies(adapters["openai"], "", usage=Usage(20, 0))
    replies(adapters["deepseek"], "second")
    result = await handler.generate_response(HI, provider_id="openai")
    assert result.provider_id == "deepseek"
    assert handler.costs_by_provider()["openai"] == pytest.approx(CATALOG.require("gpt-4.1-nano").cost_usd(20, 0))


async def test_stream_options_reach_the_adapter(handler: BYOKProtocol, adapters: Adapters) -> None:
    streams(adapters["anthropic"], "ok")
    await collect(handler, model="claude-sonnet-4-0", temperature=0.2, max_tokens=300, stop="END")
    [request] = asked(adapters, "anthropic", stream=True)
    assert (request.model, request.temperature, request.max_tokens, request.stop) == ("claude-sonnet-4-0", 0.2, 300, ("END",))


async def test_prefer_cost_false_sends_to_the_strongest_route(handler: BYOKProtocol, adapters: Adapters) -> None:
    head = handler.get_ranked_providers(handler.analyze_query_complexity("hi"), prefer_cost=False)[0]
    assert head.provider_id != handler.get_routing_info("hi").routes[0].provider_id
    replies(adapters[head.provider_id], "strong")
    streams(adapters[head.provider_id], "strong")
    assert (await handler.generate_response(HI, prefer_cost=False)).model == head.model
    assert (await collect(handler, prefer_cost=False))[-1].model == head.model


async def test_task_type_reaches_routing_on_both_paths(handler: BYOKProtocol, adapters: Adapters) -> None:
    replies(adapters["deepseek"], "deep")
    streams(adapters["deepseek"], "deep")
    assert (await handler.generate_response(HI, task_type="reasoning")).model == "deepseek-reasoner"
    assert (await collect(handler, task_type="reasoning"))[-1].model == "deepseek-reasoner"


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


async def test_a_slow_adapter_fails_over_at_the_deadline(adapters: Adapters) -> None:
    async def never(request: ChatRequest) -> Completion:
        await asyncio.sleep(30)
        raise AssertionError("unreachable")

    mock_of(adapters["openai"].complete).side_effect(never)
    replies(adapters["deepseek"], "in time")
    handler = BYOKHandler(api_keys={}, clients={"openai": adapters["openai"], "deepseek": adapters["deepseek"]}, timeout_s=0.05)
    result = await handler.generate_response(HI)
    assert result.provider_id == "deepseek"
    assert handler.health._failures == {"openai": 1}


async def test_a_stalled_stream_fails_over_at_the_deadline_and_the_idle_timeout(adapters: Adapters) -> None:
    async def stalls(request: ChatRequest) -> AsyncIterator[Delta]:
        await asyncio.sleep(30)
        yield Delta("never")

    mock_of(adapters["openai"].stream).side_effect(stalls)
    streams(adapters["deepseek"], "in time")
    clients = {"openai": adapters["openai"], "deepseek": adapters["deepseek"]}
    for options in ({"timeout_s": 0.05}, {"timeout_s": 30.0, "idle_timeout_s": 0.05}):
        handler = BYOKHandler(api_keys={}, clients=clients, **options)  # type: ignore[arg-type]  # float options only
        chunks = await collect(handler)
        assert chunks[-1].provider_id == "deepseek"


async def test_an_adapters_own_timeout_error_is_a_retryable_failure(adapters: Adapters) -> None:
    mock_of(adapters["openai"].complete).raises(TimeoutError())
    replies(adapters["deepseek"], "fine")
    handler = BYOKHandler(api_keys={}, clients={"openai": adapters["openai"], "deepseek": adapters["deepseek"]})
    assert (await handler.generate_response(HI)).provider_id == "deepseek"


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
    expected = CATALOG.require("gpt-4.1-nano").cost_usd(estimate_message_tokens(HI), 2)
    assert handler.costs_by_provider() == {"openai": pytest.approx(expected)}
    assert handler.budget.reserved_usd == 0.0


def test_the_handler_shows_its_providers_and_spending_only(handler: BYOKProtocol) -> None:
    assert repr(handler) == "BYOKHandler(providers=['openai', 'anthropic', 'deepseek'], spent_usd=0.000000)"


def test_queries_about_models_and_routes(handler: BYOKProtocol) -> None:
    assert [m.model for m in handler.get_cheapest_models()] == ["gpt-4.1-nano", "gpt-4o-mini", "deepseek-chat", "gpt-4.1-mini", "deepseek-reasoner"]
    text = "x" * 600_000
    assert handler.truncate_to_context(text, "gpt-4o") == handler.truncate_to_context(text, "gpt-4o", 1000)
    assert len(handler.truncate_to_context(text, "gpt-4o")) == (128_000 - 1000) * 4
    assert handler.get_optimal_provider(input_tokens=100_000).provider_id == "openai"  # deepseek's 64k window is too small
    assert handler.get_optimal_provider(prefer_cost=False).tier == 2
    info = handler.get_routing_info("Compare these two designs")
    assert (info.complexity.name, info.estimated_input_tokens) == ("MODERATE", 7)
    assert [r.provider_id for r in info.routes] == [r.provider_id for r in handler.get_ranked_providers(info.complexity, input_tokens=7)]


def test_no_route_at_all_is_a_clear_error() -> None:
    from byok import NoProvidersConfiguredError

    with pytest.raises(NoProvidersConfiguredError, match="set at least one of OPENAI_API_KEY, ANTHROPIC_API_KEY"):
        BYOKHandler(api_keys={}).get_optimal_provider()


async def test_a_demoted_provider_moves_to_the_end_of_the_ranking(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler(failure_threshold=1)
    before = [r.provider_id for r in handler.get_ranked_providers()]
    fails(adapters[before[0]], 503)
    for other in before[1:]:
        replies(adapters[other], "ok")
    await handler.generate_response(HI, provider_id=before[0])
    assert [r.provider_id for r in handler.get_ranked_providers()] == before[1:] + before[:1]


KNOWN = "['openai', 'anthropic', 'deepseek', 'gemini', 'moonshot', 'mistral']"
AVAILABLE = "['openai', 'anthropic', 'deepseek']"


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"provider_id": "nosuch"}, f"unknown provider_id 'nosuch'; known: {KNOWN}"),
        ({"provider_id": "mistral"}, f"provider 'mistral' has no API key; available: {AVAILABLE}"),
        ({"model": "gpt-99"}, "unknown model 'gpt-99': name its provider_id to use a model off the catalog"),
        ({"model": "claude-sonnet-4-0", "provider_id": "openai"}, "model 'claude-sonnet-4-0' belongs to 'anthropic', not 'openai'"),
        ({"model": "mistral-large-latest"}, f"provider 'mistral' of model 'mistral-large-latest' has no API key; available: {AVAILABLE}"),
    ],
)
async def test_request_errors_say_exactly_what_is_wrong(options: dict[str, str], says: str, handler: BYOKProtocol) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        await handler.generate_response(HI, **options)  # type: ignore[arg-type]  # str options only
    assert str(caught.value) == says


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


def test_construction_errors_say_exactly_what_is_wrong(adapters: Adapters) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        BYOKHandler(api_keys={}, clients={"nosuch": adapters["openai"]})
    assert str(caught.value) == f"unknown provider(s) in clients: ['nosuch']; known: {KNOWN}"
    with pytest.raises(InvalidRequestError) as urls:
        BYOKHandler(api_keys={}, base_urls={"x": "http://h"})
    assert str(urls.value) == f"unknown provider(s) in base_urls: ['x']; known: {KNOWN}"


async def test_complexity_comes_from_the_last_user_message(handler: BYOKProtocol, adapters: Adapters) -> None:
    replies(adapters["openai"], "easy")
    conversation: list[Message] = [
        {"role": "user", "content": "Prove the theorem rigorously, step by step, and analyze the trade-offs."},
        {"role": "assistant", "content": "Done."},
        {"role": "user", "content": "thanks"},
    ]
    assert (await handler.generate_response(conversation)).model == "gpt-4.1-nano"


async def test_an_interrupted_stream_counts_against_its_provider(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "deepseek", failure_threshold=1)
    broken = ProviderError("openai", "connection failed", retryable=True)
    mock_of(adapters["openai"].stream).yields(Delta("partial"), error=broken)
    with pytest.raises(StreamInterruptedError, match="openai: stream interrupted after 7 characters: connection failed"):
        await collect(handler)
    assert handler.get_ranked_providers(QueryComplexity.SIMPLE)[-1].provider_id == "openai"  # else first: the cheapest
    assert handler.budget.reserved_usd == 0.0


async def test_a_non_retryable_stream_error_is_raised_as_it_is(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "deepseek")
    mock_of(adapters["openai"].stream).raises(ProviderError("openai", "bad request", status=400, retryable=False))
    with pytest.raises(ProviderError, match="bad request") as caught:
        await collect(handler)
    assert caught.value.status == 400
    mock_of(adapters["deepseek"].stream).assert_not_called()
    assert handler.budget.reserved_usd == 0.0


async def test_unusable_usage_is_logged_and_charged_as_an_estimate(
    handler: BYOKProtocol, adapters: Adapters, caplog: pytest.LogCaptureFixture
) -> None:
    replies(adapters["openai"], "abcdefgh", usage=None)
    result = await handler.generate_response(HI)
    assert result.usage == Usage(estimate_message_tokens(HI), 2)
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("byok", "WARNING", "openai reported no usable token counts; charging an estimate")
    ]


def _skip_catalog() -> ModelCatalog:
    return ModelCatalog(
        [
            ModelInfo("o", "openai", 0.1, 0.1, 100_000, 1),
            ModelInfo("d", "deepseek", 500.0, 500.0, 100_000, 3),  # far over the budget below
            ModelInfo("a", "anthropic", 0.2, 0.2, 100_000, 1),
        ]
    )


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_a_step_over_budget_in_the_middle_is_skipped_and_the_next_one_serves(stream: bool, adapters: Adapters) -> None:
    handler = BYOKHandler(api_keys={}, clients=adapters, catalog=_skip_catalog(), budget_usd=0.01)
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


@pytest.mark.parametrize(
    ("deltas", "reason"),
    [((Delta("", "stop", Usage(1, 0)),), "empty completion"), ((Delta("text without an end"),), "stream ended without a finish reason")],
    ids=["empty", "no finish"],
)
async def test_stream_attempts_name_why_each_failed(deltas: tuple[Delta, ...], reason: str, make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "deepseek")
    for provider_id in ("openai", "deepseek"):
        mock_of(adapters[provider_id].stream).yields(*deltas)
    if deltas[0].text:
        with pytest.raises(StreamInterruptedError) as interrupted:
            await collect(handler)
        assert interrupted.value.reason == reason
        return
    with pytest.raises(AllProvidersFailedError) as caught:
        await collect(handler)
    assert [(a.provider_id, a.status, a.reason) for a in caught.value.attempts] == [("openai", None, reason), ("deepseek", None, reason)]


async def test_a_successful_stream_resets_its_providers_failures(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "deepseek", failure_threshold=3)
    fails(adapters["openai"], 503)
    replies(adapters["deepseek"], "ok")
    for _ in range(2):
        await handler.generate_response(HI)
    streams(adapters["openai"], "fine")
    await collect(handler)
    for _ in range(2):
        await handler.generate_response(HI)
    assert handler.get_ranked_providers(QueryComplexity.SIMPLE)[0].provider_id == "openai"  # 2 + 2 failures, not 4


def test_routing_queries_pass_every_option_on(handler: BYOKProtocol) -> None:
    assert handler.get_optimal_provider(QueryComplexity.SIMPLE).tier == 1
    assert handler.get_optimal_provider(QueryComplexity.SIMPLE, prefer_cost=False).tier == 2
    default = handler.get_optimal_provider(QueryComplexity.SIMPLE)
    assert default.estimated_cost_usd == CATALOG.require(default.model).cost_usd(0, 1024)
    assert handler.get_routing_info("hi", "reasoning").complexity is QueryComplexity.ADVANCED
    info = handler.get_routing_info("y" * 4000)
    head = info.routes[0]
    assert head.estimated_cost_usd == CATALOG.require(head.model).cost_usd(1000, 1024)


async def test_whole_replies_default_to_temperature_0_7(handler: BYOKProtocol, adapters: Adapters) -> None:
    replies(adapters["openai"], "ok")
    await handler.generate_response(HI)
    assert asked(adapters, "openai")[0].temperature == 0.7


async def test_empty_whole_replies_are_named_in_the_attempts(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "deepseek")
    replies(adapters["openai"], "")
    replies(adapters["deepseek"], "")
    with pytest.raises(AllProvidersFailedError) as caught:
        await handler.generate_response(HI)
    assert [(a.provider_id, a.model, a.reason) for a in caught.value.attempts] == [
        ("openai", "gpt-4.1-nano", "empty completion"),
        ("deepseek", "deepseek-chat", "empty completion"),
    ]


async def test_a_successful_reply_resets_its_providers_failures(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai", "deepseek", failure_threshold=3)
    fails(adapters["openai"], 503)
    replies(adapters["deepseek"], "ok")
    for _ in range(2):
        await handler.generate_response(HI)
    replies(adapters["openai"], "fine")
    await handler.generate_response(HI)
    fails(adapters["openai"], 503)
    for _ in range(2):
        await handler.generate_response(HI)
    assert handler.get_ranked_providers(QueryComplexity.SIMPLE)[0].provider_id == "openai"


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


def test_rankings_follow_the_catalog_and_default_to_no_input(handler: BYOKProtocol) -> None:
    head = handler.get_ranked_providers(QueryComplexity.SIMPLE)[0]
    assert head.estimated_cost_usd == CATALOG.require(head.model).cost_usd(0, 1024)
    handler.catalog = _skip_catalog()
    assert [r.model for r in handler.get_ranked_providers(QueryComplexity.SIMPLE)] == ["o", "a", "d"]
    sizes = []
    for tokens in range(300):  # rankings are cached, within a bound
        handler.get_ranked_providers(QueryComplexity.SIMPLE, input_tokens=tokens)
        sizes.append(len(handler._routes))  # type: ignore[attr-defined]  # the protocol leaves private state out
    assert max(sizes) == 256


def _window_catalog() -> ModelCatalog:
    return ModelCatalog(
        [
            ModelInfo("d-small", "deepseek", 0.1, 0.1, 5_000, 1),
            ModelInfo("d-big", "deepseek", 0.2, 0.2, 12_000, 1),
            ModelInfo("o", "openai", 1.0, 1.0, 1_000_000, 1),
            ModelInfo("a-weak", "anthropic", 0.5, 0.5, 6_000, 1),
            ModelInfo("a-strong", "anthropic", 3.0, 3.0, 6_000, 2),
        ]
    )


def _handler_over(adapters: Adapters, *provider_ids: str) -> BYOKProtocol:
    return BYOKHandler(api_keys={}, clients={p: adapters[p] for p in provider_ids}, catalog=_window_catalog())


async def test_the_window_check_of_a_request_counts_its_max_tokens(adapters: Adapters) -> None:
    handler = _handler_over(adapters, "deepseek", "openai")
    replies(adapters["openai"], "big enough")
    prompt: list[Message] = [{"role": "user", "content": "x" * 20_000}]  # ~5,000 tokens: d-big fits it, with 1,024 out
    result = await handler.generate_response(prompt, max_tokens=8_000)  # 13,000 > d-big's 12,000
    assert result.provider_id == "openai"
    mock_of(adapters["deepseek"].complete).assert_not_awaited()


async def test_a_provider_with_no_fitting_model_is_a_last_resort_with_its_largest_usable_model(adapters: Adapters) -> None:
    handler = _handler_over(adapters, "deepseek", "openai")
    fails(adapters["openai"], 503)
    replies(adapters["deepseek"], "truncated but served")
    prompt: list[Message] = [{"role": "user", "content": "x" * 80_000}]  # ~20,000 tokens: no deepseek model fits it
    result = await handler.generate_response(prompt, max_tokens=6_000)  # d-small's 5,000 cannot hold even the reply
    assert (result.provider_id, result.model) == ("deepseek", "d-big")
    [request] = asked(adapters, "deepseek")
    assert 0 < len(request.messages[0]["content"]) <= (12_000 - 6_000 - 4) * 4


@pytest.mark.parametrize(("prompt", "prefer_cost", "first"), [("hi", True, "a-weak"), ("hi", False, "a-strong")])
async def test_last_resort_providers_are_ranked_by_the_requests_complexity_and_preference(
    prompt: str, prefer_cost: bool, first: str, adapters: Adapters
) -> None:
    catalog = ModelCatalog(
        [
            ModelInfo("o", "openai", 1.0, 1.0, 1_000_000, 1),
            ModelInfo("a-weak", "anthropic", 0.5, 0.5, 6_000, 1),
            ModelInfo("d-strong", "deepseek", 3.0, 3.0, 6_000, 2),
        ]
    )
    handler = BYOKHandler(api_keys={}, clients=adapters, catalog=catalog)
    fails(adapters["openai"], 503)
    fails(adapters["anthropic"], 503)
    fails(adapters["deepseek"], 503)
    long: list[Message] = [{"role": "user", "content": "x" * 40_000 + " " + prompt}]  # fits openai only
    with pytest.raises(AllProvidersFailedError) as caught:
        await handler.generate_response(long, prefer_cost=prefer_cost)
    expected = ["o", "a-weak", "d-strong"] if first == "a-weak" else ["o", "d-strong", "a-weak"]
    assert [a.model for a in caught.value.attempts] == expected


def test_default_settings_of_provider_health(adapters: Adapters) -> None:
    handler = BYOKHandler(api_keys={})
    assert (handler.health.threshold, handler.health.cooldown_s, handler.timeout_s) == (3, 30.0, 120.0)


def test_rankings_count_the_output_tokens_asked_for(handler: BYOKProtocol) -> None:
    [*_, last] = handler.get_ranked_providers(QueryComplexity.SIMPLE, output_tokens=5_000)
    assert last.estimated_cost_usd == CATALOG.require(last.model).cost_usd(0, 5_000)
