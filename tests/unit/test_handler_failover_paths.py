"""The handler's paths on typed doubles of its adapters: when an attempt fails over (errors, empty and
cut streams, deadlines) and how failures move a provider in the ranking."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from protodoubles import mock_of

from byok import (
    AllProvidersFailedError,
    BYOKHandler,
    ProviderError,
    StreamInterruptedError,
    Usage,
)
from byok.adapters.base import ChatRequest, Completion, Delta
from byok.types import QueryComplexity
from tests.unit.conftest import Adapters, HandlerMaker, fails, replies, streams
from tests.unit.handler_paths import HI, collect


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
        handler = BYOKHandler(api_keys={}, clients=clients, **options)  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # float options only
        chunks = await collect(handler)
        assert chunks[-1].provider_id == "deepseek"


async def test_an_adapters_own_timeout_error_is_a_retryable_failure(adapters: Adapters) -> None:
    mock_of(adapters["openai"].complete).raises(TimeoutError())
    replies(adapters["deepseek"], "fine")
    handler = BYOKHandler(api_keys={}, clients={"openai": adapters["openai"], "deepseek": adapters["deepseek"]})
    assert (await handler.generate_response(HI)).provider_id == "deepseek"


async def test_a_demoted_provider_moves_to_the_end_of_the_ranking(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler(failure_threshold=1)
    before = [r.provider_id for r in handler.get_ranked_providers()]
    fails(adapters[before[0]], 503)
    for other in before[1:]:
        replies(adapters[other], "ok")
    await handler.generate_response(HI, provider_id=before[0])
    assert [r.provider_id for r in handler.get_ranked_providers()] == before[1:] + before[:1]


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


@pytest.mark.parametrize(
    ("deltas", "reason"),
    [((Delta("", "stop", Usage(1, 0)),), "empty completion"), ((Delta("text without an end"),), "stream ended without a finish reason")],
    ids=["empty", "no finish"],
)
async def test_stream_attempts_name_why_each_failed(
    deltas: tuple[Delta, ...], reason: str, make_handler: HandlerMaker, adapters: Adapters
) -> None:
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


def test_default_settings_of_provider_health(adapters: Adapters) -> None:
    handler = BYOKHandler(api_keys={})
    assert (handler.health.threshold, handler.health.cooldown_s, handler.timeout_s) == (3, 30.0, 120.0)
