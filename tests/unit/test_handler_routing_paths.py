"""The handler's paths on typed doubles of its adapters: where a request is routed and what it asks for,
the routing queries, and the errors of a bad request or construction."""

from __future__ import annotations

import pytest
from protodoubles import mock_of

from byok import (
    AllProvidersFailedError,
    BYOKHandler,
    InvalidRequestError,
    Message,
)
from byok.catalog import ModelCatalog
from byok.types import ModelInfo, QueryComplexity
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, fails, replies, streams
from tests.unit.handler_paths import CATALOG, HI, asked, collect, skip_catalog


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


def test_the_handler_shows_its_providers_and_spending_only(handler: BYOKProtocol) -> None:
    assert repr(handler) == "BYOKHandler(providers=['openai', 'anthropic', 'deepseek'], spent_usd=0.000000)"


def test_queries_about_models_and_routes(handler: BYOKProtocol) -> None:
    assert [m.model for m in handler.get_cheapest_models()] == [
        "gpt-4.1-nano",
        "gpt-4o-mini",
        "deepseek-chat",
        "gpt-4.1-mini",
        "deepseek-reasoner",
    ]
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
        await handler.generate_response(HI, **options)  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # str options only
    assert str(caught.value) == says


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


def test_rankings_follow_the_catalog_and_default_to_no_input(handler: BYOKProtocol) -> None:
    head = handler.get_ranked_providers(QueryComplexity.SIMPLE)[0]
    assert head.estimated_cost_usd == CATALOG.require(head.model).cost_usd(0, 1024)
    handler.catalog = skip_catalog()
    assert [r.model for r in handler.get_ranked_providers(QueryComplexity.SIMPLE)] == ["o", "a", "d"]
    sizes = []
    for tokens in range(300):  # rankings are cached, within a bound
        handler.get_ranked_providers(QueryComplexity.SIMPLE, input_tokens=tokens)
        sizes.append(len(handler._routes))  # type: ignore[attr-defined]  # ty: ignore[missing-attribute]  # the protocol leaves private state out
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


def test_rankings_count_the_output_tokens_asked_for(handler: BYOKProtocol) -> None:
    [*_, last] = handler.get_ranked_providers(QueryComplexity.SIMPLE, output_tokens=5_000)
    assert last.estimated_cost_usd == CATALOG.require(last.model).cost_usd(0, 5_000)
