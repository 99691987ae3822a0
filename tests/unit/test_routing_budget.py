"""Routing, budget, health and validation on their own: the exact boundaries each one draws."""

from __future__ import annotations

import math

import pytest

from byok import BudgetExceededError, InvalidRequestError, Message, ModelInfo, QueryComplexity, Usage
from byok.budget import Budget, chargeable_usage
from byok.catalog import ModelCatalog
from byok.health import HealthTracker
from byok.routing import (
    BOUND_OVERHEAD_PER_MESSAGE,
    BOUND_OVERHEAD_PER_REQUEST,
    analyze_query_complexity,
    bound_message_tokens,
    estimate_message_tokens,
    estimate_tokens,
    fit_messages,
    rank_routes,
)
from byok.validation import checked_usage, positive_int, positive_number, validate_messages, validate_options

CATALOG = ModelCatalog.default()


@pytest.mark.parametrize(
    ("chars", "expected"),
    [(1600, QueryComplexity.SIMPLE), (1604, QueryComplexity.MODERATE), (8000, QueryComplexity.MODERATE), (8004, QueryComplexity.COMPLEX)],
)
def test_longer_prompts_are_classified_higher_at_exact_boundaries(chars: int, expected: QueryComplexity) -> None:
    assert analyze_query_complexity("a" * chars) is expected


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("please compare", QueryComplexity.MODERATE),
        ("compare and contrast", QueryComplexity.COMPLEX),
        ("compare, contrast, design, debug", QueryComplexity.COMPLEX),  # wording counts at most twice
        ("a proof", QueryComplexity.COMPLEX),
        ("prove the theorem", QueryComplexity.ADVANCED),
        ("prove it, and compare", QueryComplexity.COMPLEX),
    ],
)
def test_wording_scores(prompt: str, expected: QueryComplexity) -> None:
    assert analyze_query_complexity(prompt) is expected


def test_task_type_is_a_floor_not_a_ceiling() -> None:
    assert analyze_query_complexity("hi", "summarization") is QueryComplexity.MODERATE
    assert analyze_query_complexity("prove the theorem", "chat") is QueryComplexity.ADVANCED
    with pytest.raises(InvalidRequestError, match="unknown task_type 'poetry'; known: analysis, chat"):
        analyze_query_complexity("hi", "poetry")


def test_the_tier_filter_picks_each_providers_cheapest_adequate_model() -> None:
    simple = rank_routes(CATALOG, ["openai"], QueryComplexity.SIMPLE)
    complex_ = rank_routes(CATALOG, ["openai"], QueryComplexity.COMPLEX)
    moderate = rank_routes(CATALOG, ["anthropic"], QueryComplexity.MODERATE)
    assert [r.model for r in simple + complex_ + moderate] == ["gpt-4.1-nano", "gpt-4.1", "claude-3-5-haiku-latest"]


def test_without_an_adequate_model_a_provider_offers_its_strongest_and_goes_after_adequate_ones() -> None:
    catalog = ModelCatalog(
        [
            ModelInfo("o1", "openai", 0.1, 0.1, 10_000, 1),
            ModelInfo("o2", "openai", 5.0, 5.0, 10_000, 2),
            ModelInfo("d1", "deepseek", 0.2, 0.2, 10_000, 1),
            ModelInfo("a3", "anthropic", 9.0, 9.0, 10_000, 3),
            ModelInfo("a3-big", "anthropic", 20.0, 20.0, 10_000, 3),
        ]
    )
    routes = rank_routes(catalog, ["openai", "deepseek", "anthropic"], QueryComplexity.COMPLEX)
    assert [r.model for r in routes] == ["a3", "d1", "o2"]  # adequate first; then the cheaper of the rest
    strong = rank_routes(catalog, ["openai", "deepseek", "anthropic"], QueryComplexity.COMPLEX, prefer_cost=False)
    assert [r.model for r in strong] == ["a3", "o2", "d1"]
    tie = rank_routes(catalog, ["deepseek", "openai"], QueryComplexity.SIMPLE, prefer_cost=False)
    assert [r.model for r in tie] == ["o1", "d1"]  # equal tiers: the cheaper first, whatever the given order


def test_a_provider_with_no_fitting_model_is_skipped_and_the_rest_still_ranked() -> None:
    routes = rank_routes(CATALOG, ["anthropic", "openai", "gemini"], QueryComplexity.SIMPLE, input_tokens=300_000)
    assert [r.provider_id for r in routes] == ["gemini", "openai"]


def test_the_window_check_counts_output_tokens() -> None:
    fits = rank_routes(CATALOG, ["moonshot"], QueryComplexity.SIMPLE, input_tokens=7000, output_tokens=1192)
    too_big = rank_routes(CATALOG, ["moonshot"], QueryComplexity.SIMPLE, input_tokens=7000, output_tokens=1193)
    assert fits[0].model == "moonshot-v1-8k"
    assert too_big[0].model == "kimi-k2-0711-preview"


def test_prefer_cost_puts_the_cheapest_first_otherwise_the_strongest() -> None:
    providers = ["deepseek", "openai", "anthropic"]
    cheap = rank_routes(CATALOG, providers, QueryComplexity.SIMPLE)
    strong = rank_routes(CATALOG, providers, QueryComplexity.SIMPLE, prefer_cost=False)
    assert [r.provider_id for r in cheap] == ["openai", "deepseek", "anthropic"]
    assert [(r.provider_id, r.tier) for r in strong] == [("deepseek", 2), ("anthropic", 2), ("openai", 1)]
    costs = [r.estimated_cost_usd for r in cheap]
    assert costs == sorted(costs)


def test_route_cost_is_the_models_cost_for_the_tokens() -> None:
    [route] = rank_routes(CATALOG, ["openai"], QueryComplexity.SIMPLE, input_tokens=1000, output_tokens=500)
    assert route.estimated_cost_usd == pytest.approx(CATALOG.require("gpt-4.1-nano").cost_usd(1000, 500))
    assert (route.context_window, route.tier) == (1047576, 1)


def test_token_estimates_and_bounds() -> None:
    assert (estimate_tokens(""), estimate_tokens("abcd"), estimate_tokens("abcde")) == (0, 1, 2)
    messages = [{"role": "user", "content": "héllo"}, {"role": "system", "content": "ab"}]
    assert estimate_message_tokens(messages) == 2 + 4 + 1 + 4  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # plain dicts stand in for Message
    expected = BOUND_OVERHEAD_PER_REQUEST + 6 + 2 + 2 * BOUND_OVERHEAD_PER_MESSAGE
    assert bound_message_tokens(messages) == expected  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # "é" is two bytes


def test_reserve_output_grants_what_the_money_left_pays_for() -> None:
    budget = Budget(1.0)
    tokens, held = budget.reserve_output(0.2, 0.001, wanted=10_000, minimum=10)
    assert tokens == 799  # (1.0 - 0.2) / 0.001, less the slack kept for rounding
    assert held == pytest.approx(0.2 + 799 * 0.001)
    assert budget.reserved_usd == pytest.approx(held)
    with pytest.raises(BudgetExceededError, match="already spent or reserved") as caught:
        budget.reserve_output(0.0, 0.001, wanted=100, minimum=2)
    assert caught.value.estimate_usd == pytest.approx(0.002)
    budget.settle(held, None, 0.0)
    granted, held = budget.reserve_output(0.0, 0.001, wanted=100, minimum=100)
    assert granted == 100
    assert held == pytest.approx(0.1)


def test_reserve_output_without_a_limit_grants_everything_and_never_refuses() -> None:
    budget = Budget(None)
    assert budget.reserve_output(5.0, 1.0, wanted=4096, minimum=4096) == (4096, 4101.0)
    assert budget.reserve(3.0) == 3.0


def test_input_alone_over_budget_is_refused() -> None:
    budget = Budget(0.1)
    with pytest.raises(BudgetExceededError):
        budget.reserve_output(0.2, 0.0, wanted=0, minimum=0)
    with pytest.raises(BudgetExceededError):
        budget.reserve(0.1000001)
    assert budget.reserved_usd == 0.0


@pytest.mark.parametrize(("fixed", "per_token"), [(math.nan, 0.0), (0.0, math.inf), (-1.0, 0.0), (0.0, -0.1)])
def test_reserve_output_refuses_nonsense_costs(fixed: float, per_token: float) -> None:
    with pytest.raises(InvalidRequestError, match="a cost must be a finite number >= 0"):
        Budget(1.0).reserve_output(fixed, per_token, wanted=1, minimum=1)


def test_settle_releases_and_charges_at_most_the_reservation() -> None:
    budget = Budget(1.0)
    held = budget.reserve(0.3)
    budget.settle(held, "openai", 5.0)  # a provider that overbills is charged what was reserved
    assert budget.spent_by_provider() == {"openai": 0.3}
    assert budget.reserved_usd == 0.0
    for junk in (math.nan, -2.0, math.inf):
        budget.settle(budget.reserve(0.1), "deepseek", junk)
    assert budget.spent_by_provider() == {"openai": 0.3, "deepseek": 0.0}
    budget.settle(budget.reserve(0.1), "deepseek", 0.05)
    assert budget.spent_usd == pytest.approx(0.35)
    unlimited = Budget(None)
    unlimited.settle(unlimited.reserve(0.1), "openai", 0.7)
    assert unlimited.spent_usd == 0.7  # without a limit the real cost is recorded whole


def test_chargeable_usage_prefers_the_report_and_caps_each_count() -> None:
    bound = Usage(100, 50)
    assert chargeable_usage(Usage(10, 5), Usage(1, 1), bound) == Usage(10, 5)
    assert chargeable_usage(None, Usage(7, 3), bound) == Usage(7, 3)
    assert chargeable_usage(Usage(10**9, 10**9), Usage(1, 1), bound) == bound
    assert chargeable_usage(Usage(100, 50), Usage(1, 1), bound) == bound


def test_checked_usage_accepts_only_counts() -> None:
    assert checked_usage(0, 0) == Usage(0, 0)
    assert checked_usage(3, 4) == Usage(3, 4)
    for bad in ((None, 1), (1, None), (-1, 1), (1, -1), ("1", 1), (1, 2.0), (True, 1), (1, False)):
        assert checked_usage(*bad) is None


def test_number_settings() -> None:
    assert positive_number("x", 2) == 2.0 and isinstance(positive_number("x", 2), float)
    assert positive_number("x", 0, allow_zero=True) == 0.0
    with pytest.raises(InvalidRequestError, match="x must be > 0, got 0"):
        positive_number("x", 0)
    with pytest.raises(InvalidRequestError, match=r"x must be >= 0, got -0\.5"):
        positive_number("x", -0.5, allow_zero=True)
    assert positive_int("n", 1) == 1
    with pytest.raises(InvalidRequestError, match="n must be an int >= 1, got True"):
        positive_int("n", True)


def test_a_success_resets_the_failure_count() -> None:
    health = HealthTracker(threshold=3, cooldown_s=30, clock=lambda: 0.0)
    for _ in range(2):
        health.record_failure("openai")
    health.record_success("openai")
    for _ in range(2):
        health.record_failure("openai")
    assert not health.is_demoted("openai")
    health.record_failure("openai")
    assert health.is_demoted("openai")
    assert health.order(["openai", "deepseek", "mistral"]) == ["deepseek", "mistral", "openai"]


def test_demotion_lasts_exactly_the_cooldown() -> None:
    now = [10.0]
    health = HealthTracker(threshold=1, cooldown_s=5, clock=lambda: now[0])
    health.record_failure("openai")
    now[0] = 14.999
    assert health.is_demoted("openai")
    now[0] = 15.0
    assert not health.is_demoted("openai")
    assert (health.threshold, health.cooldown_s) == (1, 5)


def test_health_defaults_and_an_immediate_success_lifts_a_demotion() -> None:
    health = HealthTracker(clock=lambda: 0.0)
    assert (health.threshold, health.cooldown_s) == (3, 30.0)
    for _ in range(3):
        health.record_failure("openai")
    assert health.is_demoted("openai")
    health.record_success("openai")  # within the cooldown
    assert not health.is_demoted("openai")
    assert health.order(["openai", "deepseek"]) == ["openai", "deepseek"]


def test_a_budget_spent_to_the_last_cent_grants_no_output_and_refuses_what_needs_some() -> None:
    budget = Budget(1.0)
    exact = 1.0 - 1.0 * 1e-9  # the limit less the slack kept for rounding: nothing is left after it
    assert budget.reserve_output(exact, 0.001, wanted=10, minimum=0) == (0, exact)
    assert Budget(1.0).reserve_output(exact, 0.0, wanted=10, minimum=0) == (10, exact)  # free output: fine
    with pytest.raises(BudgetExceededError):
        Budget(1.0).reserve_output(exact, 0.001, wanted=10, minimum=1)
    assert Budget(1.0).reserve(exact) == exact


def test_the_refusal_names_the_cost_of_the_minimum() -> None:
    with pytest.raises(BudgetExceededError) as caught:
        Budget(1.0).reserve_output(2.0, 0.5, wanted=0, minimum=0)
    assert caught.value.estimate_usd == 2.0
    with pytest.raises(BudgetExceededError) as larger:
        Budget(1.0).reserve_output(0.5, 0.25, wanted=10, minimum=3)
    assert larger.value.estimate_usd == 1.25


@pytest.mark.parametrize(
    ("messages", "says"),
    [
        ("hello", "messages must be a list of {'role', 'content'} dicts, got str"),
        (None, "messages must be a list of {'role', 'content'} dicts, got NoneType"),
        ([], "messages is empty: send at least one user message"),
        ([3], "messages[0] must be a dict, got int"),
        ([{"role": "user", "content": b"x"}], "messages[0].content must be a str, got bytes"),
        ([{"role": "system", "content": "s"}], "messages has no user message: add one"),
        ([{"role": "system", "content": "s"}, {"role": "assistant", "content": "a"}], "messages has no user message: add one"),
    ],
)
def test_message_errors_say_exactly_what_is_wrong(messages: object, says: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        validate_messages(messages)
    assert str(caught.value) == says


@pytest.mark.parametrize(
    ("options", "ok"),
    [
        ((0, None, None), True),
        ((2, None, None), True),
        ((True, None, None), False),
        ((0.5, 1, None), True),
        ((0.5, True, None), False),
        ((0.5, None, ["a", "b", "c", "d"]), True),
        ((0.5, None, [""]), False),
        ((0.5, None, ["é", "終"]), True),
    ],
)
def test_option_boundaries(options: tuple[float, int | None, list[str] | None], ok: bool) -> None:
    temperature, max_tokens, stop = options
    if ok:
        validate_options(temperature, max_tokens, stop)
    else:
        with pytest.raises(InvalidRequestError, match="must be"):
            validate_options(temperature, max_tokens, stop)


def test_truncation_keeps_the_newest_characters_down_to_one_token() -> None:
    from byok.routing import truncate_text

    assert truncate_text("abcdefgh", 1) == "efgh"
    assert truncate_text("abcdefgh", 2) == "abcdefgh"
    assert truncate_text("abcdefgh", 0) == truncate_text("abcdefgh", -3) == ""


def test_length_and_wording_add_up() -> None:
    long = "a" * 8004  # over 2,000 tokens: +2
    assert analyze_query_complexity(long + " compare") is QueryComplexity.COMPLEX  # 2 + 1
    medium = "a" * 1604  # over 400 tokens: +1
    assert analyze_query_complexity(medium + " compare, contrast, design") is QueryComplexity.COMPLEX  # 1 + at most 2


def test_rank_routes_defaults_to_no_input_and_the_default_output() -> None:
    [route] = rank_routes(CATALOG, ["openai"], QueryComplexity.SIMPLE)
    assert route.estimated_cost_usd == CATALOG.require("gpt-4.1-nano").cost_usd(0, 1024)


def test_ties_between_models_of_one_provider() -> None:
    catalog = ModelCatalog(
        [
            ModelInfo("same-cost-low", "openai", 1.0, 1.0, 10_000, 1),
            ModelInfo("same-cost-high", "openai", 1.0, 1.0, 10_000, 2),
            ModelInfo("cheap-t1", "deepseek", 1.0, 1.0, 10_000, 1),
            ModelInfo("dear-t1", "deepseek", 3.0, 3.0, 10_000, 1),
        ]
    )
    assert rank_routes(catalog, ["openai"], QueryComplexity.SIMPLE)[0].model == "same-cost-high"  # equal cost: the stronger
    assert rank_routes(catalog, ["deepseek"], QueryComplexity.COMPLEX)[0].model == "cheap-t1"  # none adequate: strongest, then cheaper


def _m(role: str, content: str) -> Message:
    return {"role": role, "content": content}  # type: ignore[typeddict-item]  # ty: ignore[invalid-argument-type,invalid-explicit-return]  # role is one of the three in every call here


def test_fit_messages_boundaries() -> None:
    system, latest = _m("system", "s" * 40), _m("user", "n" * 400)  # 14 and 104 estimated tokens
    with pytest.raises(InvalidRequestError) as caught:
        fit_messages([system, latest], 18)  # no room left for even part of the last message
    assert str(caught.value) == "the system messages alone (~14 tokens) do not fit a context of 18 tokens"
    assert fit_messages([system, latest], 19) == [system, _m("user", "nnnn")]
    with pytest.raises(InvalidRequestError, match="system messages alone"):
        fit_messages([_m("user", "u" * 40), _m("system", "s" * 400)], 50)  # a system message is never shortened


def test_fit_messages_keeps_a_conversation_that_fits_as_it_is() -> None:
    opening = [_m("assistant", "hello, how can I help?"), _m("user", "tell me")]
    assert fit_messages(opening, 10_000) == opening


def test_a_shortened_conversation_keeps_a_lone_assistant_message() -> None:
    messages = [_m("system", "s"), _m("user", "u" * 4000), _m("assistant", "short answer")]
    assert fit_messages(messages, 100) == [messages[0], messages[2]]


def test_the_no_fit_error_counts_every_system_message() -> None:
    messages = [_m("system", "a" * 40), _m("system", "b" * 40), _m("user", "question")]
    with pytest.raises(InvalidRequestError) as caught:
        fit_messages(messages, 30)
    assert str(caught.value) == "the system messages alone (~28 tokens) do not fit a context of 30 tokens"
