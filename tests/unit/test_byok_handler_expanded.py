"""The seed's 29-test suite, on the real BYOKHandler API, with typed doubles for the provider adapters.

Every provider adapter is ``double(ProviderAdapterProtocol)``; the handler fixture is typed as
``BYOKProtocol``, so mypy checks every call here against the real handler's generated protocol.

- TestProviderFailover: which failures move a request to the next provider, and what is raised when all fail.
- TestTokenStreaming: streamed text, stop sequences, a stream broken after text, usage on the last chunk.
- TestCostOptimization: complexity classification, cheap models for simple queries, quality models for
  complex ones, per-provider cost from reported usage, the budget refusing before anything is sent.
- TestMultiProviderRouting: the default route, complex tasks, long contexts, explicit providers, and
  skipping a provider that keeps failing.
- TestEdgeCases: empty input, very long context, special characters, concurrency, switching models.
- TestProviderSelection: the provider and model chosen for each complexity, the fallback chain, tiers.
"""

from __future__ import annotations

import asyncio

import pytest
from protodoubles import mock_of

from byok import (
    AllProvidersFailedError,
    BudgetExceededError,
    InvalidRequestError,
    Message,
    QueryComplexity,
    StreamChunk,
    StreamInterruptedError,
    Usage,
)
from byok.adapters.base import ChatRequest, Completion, Delta
from byok.catalog import ModelCatalog
from byok.errors import ProviderError
from byok.routing import DEFAULT_MAX_OUTPUT_TOKENS, REQUIRED_TIER, bound_message_tokens, bound_tokens, estimate_message_tokens
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, HandlerMaker, fails, replies, streams

CATALOG = ModelCatalog.default()
HI: list[Message] = [{"role": "user", "content": "hi"}]
HARD = "Design and implement a distributed consensus algorithm, prove its safety formally, and analyze trade-offs."


def sent(adapters: Adapters, provider_id: str) -> list[ChatRequest]:
    """The requests a provider's adapter received through complete()."""
    return [call.args[0] for call in mock_of(adapters[provider_id].complete).calls]


async def collect(handler: BYOKProtocol, messages: list[Message], **options: str) -> list[StreamChunk]:
    return [chunk async for chunk in handler.stream_completion(messages, **options)]  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # only str options are passed


class TestProviderFailover:
    async def test_openai_fails_over_to_anthropic(self, make_handler: HandlerMaker, adapters: Adapters) -> None:
        handler = make_handler("openai", "anthropic")
        fails(adapters["openai"], 503)
        replies(adapters["anthropic"], "from anthropic")
        result = await handler.generate_response(HI, provider_id="openai")
        assert (result.provider_id, result.text) == ("anthropic", "from anthropic")
        assert [r.model for r in sent(adapters, "openai")] == ["gpt-4.1-nano"]
        assert CATALOG.require(sent(adapters, "anthropic")[0].model).provider_id == "anthropic"

    async def test_anthropic_fails_over_to_deepseek(self, make_handler: HandlerMaker, adapters: Adapters) -> None:
        handler = make_handler("anthropic", "deepseek")
        fails(adapters["anthropic"], 500)
        replies(adapters["deepseek"], "from deepseek")
        result = await handler.generate_response(HI, provider_id="anthropic")
        assert (result.provider_id, result.model) == ("deepseek", "deepseek-chat")
        assert mock_of(adapters["anthropic"].complete).await_count == 1

    async def test_every_provider_failing_lists_each_attempt(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        fails(adapters["openai"], 500, "server error")
        fails(adapters["anthropic"], 429, "rate limited")
        fails(adapters["deepseek"], None, "connection failed")
        with pytest.raises(AllProvidersFailedError) as caught:
            await handler.generate_response(HI)
        attempts = [(a.provider_id, a.status, a.reason) for a in caught.value.attempts]
        assert attempts == [
            ("openai", 500, "server error"),
            ("deepseek", None, "connection failed"),
            ("anthropic", 429, "rate limited"),
        ]

    async def test_timeout_triggers_failover(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        fails(adapters["openai"], None, "timed out")
        replies(adapters["deepseek"], "after the timeout")
        result = await handler.generate_response(HI)
        assert (result.provider_id, result.text) == ("deepseek", "after the timeout")
        timed_out = CATALOG.require("gpt-4.1-nano").cost_usd(bound_message_tokens(HI), 0)  # its input may have been read
        assert handler.costs_by_provider() == {
            "openai": pytest.approx(timed_out),
            "deepseek": pytest.approx(CATALOG.require("deepseek-chat").cost_usd(10, 5)),
        }

    async def test_rate_limit_triggers_failover_but_a_bad_request_does_not(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        fails(adapters["openai"], 429)
        replies(adapters["deepseek"], "second choice")
        assert (await handler.generate_response(HI)).provider_id == "deepseek"
        fails(adapters["openai"], 400, "invalid parameter", retryable=False)
        with pytest.raises(ProviderError, match="invalid parameter"):
            await handler.generate_response(HI)
        assert mock_of(adapters["deepseek"].complete).await_count == 1


class TestTokenStreaming:
    async def test_streaming_via_openai(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        streams(adapters["openai"], "Hel", "lo")
        chunks = await collect(handler, HI)
        assert [(c.text, c.provider_id, c.model) for c in chunks] == [
            ("Hel", "openai", "gpt-4.1-nano"),
            ("lo", "openai", "gpt-4.1-nano"),
            ("", "openai", "gpt-4.1-nano"),
        ]
        mock_of(adapters["anthropic"].stream).assert_not_called()

    async def test_streaming_via_anthropic(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        streams(adapters["anthropic"], "Bonjour", " !")
        chunks = await collect(handler, HI, provider_id="anthropic")
        assert "".join(c.text for c in chunks) == "Bonjour !"
        assert {c.provider_id for c in chunks} == {"anthropic"}
        mock_of(adapters["openai"].stream).assert_not_called()

    async def test_stop_sequence_is_passed_on(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        streams(adapters["openai"], "one ", "two")
        await collect(handler, HI, stop="END")
        request = mock_of(adapters["openai"].stream).calls[0].args[0]
        assert request == ChatRequest("gpt-4.1-nano", tuple(HI), 0.7, DEFAULT_MAX_OUTPUT_TOKENS, ("END",))

    async def test_error_after_the_first_chunk_raises_without_replay(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        broken = ProviderError("openai", "connection failed", retryable=True)
        mock_of(adapters["openai"].stream).yields(Delta("partial "), error=broken)
        streams(adapters["deepseek"], "replayed")
        received: list[str] = []
        with pytest.raises(StreamInterruptedError) as caught:
            async for chunk in handler.stream_completion(HI):
                received.append(chunk.text)
        assert received == ["partial "]
        assert (caught.value.provider_id, caught.value.delivered_chars) == ("openai", 8)
        mock_of(adapters["deepseek"].stream).assert_not_called()
        delivered = CATALOG.require("gpt-4.1-nano").cost_usd(bound_message_tokens(HI), bound_tokens("partial "))
        assert handler.total_cost_usd == pytest.approx(delivered)  # what was delivered is billed, at its bound

    async def test_usage_arrives_on_the_last_chunk_and_is_charged(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        streams(adapters["openai"], "a", "b", "c", usage=Usage(60, 30))
        chunks = await collect(handler, HI)
        *text_chunks, last = chunks
        assert all(c.usage is None and c.finish_reason is None and c.cost_usd is None for c in text_chunks)
        expected = CATALOG.require("gpt-4.1-nano").cost_usd(60, 30)
        assert (last.usage, last.finish_reason) == (Usage(60, 30), "stop")
        assert last.cost_usd == pytest.approx(expected)
        assert handler.costs_by_provider() == {"openai": pytest.approx(expected)}


class TestCostOptimization:
    @pytest.mark.parametrize(
        ("prompt", "task_type", "expected"),
        [
            ("hi", None, QueryComplexity.SIMPLE),
            ("Summarise this paragraph, and explain why it matters.", None, QueryComplexity.MODERATE),
            ("Compare quicksort and mergesort and analyze the trade-offs.", None, QueryComplexity.COMPLEX),
            (HARD, None, QueryComplexity.ADVANCED),
            ("hi", "code", QueryComplexity.COMPLEX),
        ],
    )
    def test_complexity_classification(self, handler: BYOKProtocol, prompt: str, task_type: str | None, expected: QueryComplexity) -> None:
        assert handler.analyze_query_complexity(prompt, task_type) is expected

    async def test_simple_query_goes_to_the_cheapest_adequate_model(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        replies(adapters["openai"], "ok")
        result = await handler.generate_response(HI)
        cheapest = min(
            (m for m in CATALOG if m.provider_id in adapters),
            key=lambda m: m.cost_usd(estimate_message_tokens(HI), 1024),
        )
        assert (result.provider_id, result.model) == (cheapest.provider_id, cheapest.model)

    async def test_complex_query_goes_to_a_quality_model(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        replies(adapters["deepseek"], "a careful answer")
        result = await handler.generate_response([{"role": "user", "content": HARD}])
        assert CATALOG.require(result.model).tier == 3
        assert result.model == "deepseek-reasoner"  # the cheapest premium model among the three

    async def test_cost_is_tracked_per_provider_from_reported_usage(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        replies(adapters["openai"], "one", usage=Usage(50, 100))
        replies(adapters["anthropic"], "two", usage=Usage(70, 200))
        await handler.generate_response(HI, provider_id="openai")
        await handler.generate_response(HI, provider_id="anthropic", model="claude-sonnet-4-0")
        await handler.generate_response(HI, provider_id="openai")
        expected_openai = 2 * CATALOG.require("gpt-4.1-nano").cost_usd(50, 100)
        expected_anthropic = CATALOG.require("claude-sonnet-4-0").cost_usd(70, 200)
        assert handler.costs_by_provider() == {
            "openai": pytest.approx(expected_openai),
            "anthropic": pytest.approx(expected_anthropic),
        }
        assert handler.total_cost_usd == pytest.approx(expected_openai + expected_anthropic)

    async def test_budget_stops_a_request_before_it_is_sent(self, make_handler: HandlerMaker, adapters: Adapters) -> None:
        handler = make_handler(budget_usd=0.000001)
        for made in adapters.values():
            replies(made, "never")
        with pytest.raises(BudgetExceededError):
            await handler.generate_response([{"role": "user", "content": "x" * 4000}])
        for made in adapters.values():
            mock_of(made.complete).assert_not_awaited()


class TestMultiProviderRouting:
    async def test_default_route_is_the_head_of_the_ranked_chain(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        head = handler.get_routing_info("hi").routes[0]
        replies(adapters[head.provider_id], "routed")
        result = await handler.generate_response(HI)
        assert (result.provider_id, result.model) == (head.provider_id, head.model)

    async def test_complex_task_type_routes_to_a_premium_model(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        for made in adapters.values():
            replies(made, "done")
        result = await handler.generate_response(HI, task_type="reasoning")
        assert CATALOG.require(result.model).tier == 3

    async def test_long_context_goes_to_a_model_whose_window_fits(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        for made in adapters.values():
            replies(made, "read it all")
        long: list[Message] = [{"role": "user", "content": "word " * 200_000}]  # ~250k tokens
        result = await handler.generate_response(long)
        assert handler.get_context_window(result.model) >= estimate_message_tokens(long) + 1024
        assert sent(adapters, result.provider_id)[0].messages == tuple(long)  # sent whole

    async def test_explicit_provider_overrides_the_ranking(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        replies(adapters["anthropic"], "as asked")
        assert handler.get_routing_info("hi").routes[0].provider_id != "anthropic"
        result = await handler.generate_response(HI, provider_id="anthropic")
        assert result.provider_id == "anthropic"
        mock_of(adapters["openai"].complete).assert_not_awaited()

    async def test_a_provider_that_keeps_failing_is_skipped(self, make_handler: HandlerMaker, adapters: Adapters) -> None:
        handler = make_handler(failure_threshold=2)
        fails(adapters["openai"], 503)
        replies(adapters["deepseek"], "stand-in")
        for _ in range(2):
            await handler.generate_response(HI)
        assert [r.provider_id for r in handler.get_ranked_providers(QueryComplexity.SIMPLE)][-1] == "openai"
        result = await handler.generate_response(HI)
        assert result.provider_id == "deepseek"
        assert mock_of(adapters["openai"].complete).await_count == 2


class TestEdgeCases:
    async def test_empty_messages_raise_and_send_nothing(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        with pytest.raises(InvalidRequestError, match="messages is empty"):
            await handler.generate_response([])
        with pytest.raises(InvalidRequestError, match="messages is empty"):
            await collect(handler, [])
        for made in adapters.values():
            mock_of(made.complete).assert_not_awaited()
            mock_of(made.stream).assert_not_called()

    async def test_very_long_context_is_truncated_oldest_first(self, make_handler: HandlerMaker, adapters: Adapters) -> None:
        handler = make_handler("anthropic")
        replies(adapters["anthropic"], "short")
        old = "o" * 500_000
        conversation: list[Message] = [
            {"role": "system", "content": "rules"},
            {"role": "user", "content": old},
            {"role": "assistant", "content": old},
            {"role": "user", "content": "latest question"},
        ]
        await handler.generate_response(conversation)
        [request] = sent(adapters, "anthropic")
        assert request.messages == ({"role": "system", "content": "rules"}, {"role": "user", "content": "latest question"})

    async def test_special_characters_round_trip(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        text = "emoji 🧪👩🏽‍💻, RTL שלום عربى, quotes \"'`, NUL \x00, newline\n, tab\t, <html>&amp;"
        replies(adapters["openai"], text)
        result = await handler.generate_response([{"role": "user", "content": text}])
        assert result.text == text
        assert sent(adapters, "openai")[0].messages[0]["content"] == text

    async def test_concurrent_requests_never_cross_replies(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        async def echo(request: ChatRequest) -> Completion:
            await asyncio.sleep(0.001 * (len(request.messages[-1]["content"]) % 7))
            return Completion(f"re: {request.messages[-1]['content']}", "stop", Usage(1, 1))

        mock_of(adapters["openai"].complete).side_effect(echo)
        prompts = [f"question {i}" for i in range(50)]
        results = await asyncio.gather(*(handler.generate_response([{"role": "user", "content": p}]) for p in prompts))
        assert [r.text for r in results] == [f"re: {p}" for p in prompts]

    async def test_switching_models_mid_conversation(self, handler: BYOKProtocol, adapters: Adapters) -> None:
        replies(adapters["openai"], "first answer")
        replies(adapters["anthropic"], "second answer")
        history: list[Message] = [{"role": "user", "content": "start"}]
        first = await handler.generate_response(history, model="gpt-4o")
        history += [{"role": "assistant", "content": first.text}, {"role": "user", "content": "go on"}]
        second = await handler.generate_response(history, model="claude-3-5-haiku-latest")
        assert (first.model, second.model) == ("gpt-4o", "claude-3-5-haiku-latest")
        assert sent(adapters, "anthropic")[0].messages == tuple(history)


class TestProviderSelection:
    def test_selection_by_complexity(self, handler: BYOKProtocol) -> None:
        simple = handler.get_optimal_provider(QueryComplexity.SIMPLE)
        complex_ = handler.get_optimal_provider(QueryComplexity.COMPLEX)
        assert (simple.provider_id, simple.model) == ("openai", "gpt-4.1-nano")
        assert (complex_.provider_id, complex_.model) == ("deepseek", "deepseek-reasoner")

    def test_fallback_chain_has_each_available_provider_once(self, handler: BYOKProtocol) -> None:
        chain = handler.get_ranked_providers(QueryComplexity.MODERATE)
        assert sorted(r.provider_id for r in chain) == ["anthropic", "deepseek", "openai"]
        costs = [r.estimated_cost_usd for r in chain]
        assert costs == sorted(costs)

    @pytest.mark.parametrize("complexity", list(QueryComplexity))
    def test_tier_mapping(self, handler: BYOKProtocol, complexity: QueryComplexity) -> None:
        assert REQUIRED_TIER[complexity] == {1: 1, 2: 2, 3: 3, 4: 3}[complexity.value]
        assert handler.get_optimal_provider(complexity).tier >= REQUIRED_TIER[complexity]

    def test_model_by_complexity(self, handler: BYOKProtocol) -> None:
        assert handler.get_routing_info("hi").routes[0].model == "gpt-4.1-nano"
        assert handler.get_routing_info(HARD).routes[0].model == "deepseek-reasoner"
        assert handler.get_routing_info(HARD).complexity is QueryComplexity.ADVANCED
