"""Attempt planning: the failover chain of a request, and how each attempt on it is laid out, reserved
and settled against the budget."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from byok.adapters.base import ChatRequest
from byok.budget import chargeable_usage
from byok.catalog import ModelCatalog
from byok.errors import Attempt, BudgetExceededError, InvalidRequestError, NoProvidersConfiguredError
from byok.ledger import Hold, Ledger
from byok.providers import PROVIDERS
from byok.routing import (
    DEFAULT_MAX_OUTPUT_TOKENS,
    DEFAULT_OUTPUT_TOKENS,
    analyze_query_complexity,
    bound_message_tokens,
    bound_tokens,
    estimate_message_tokens,
    fit_messages,
)
from byok.types import Message, ModelInfo, QueryComplexity, Route, Usage
from byok.validation import validate_messages, validate_options

_log = logging.getLogger("byok")

MIN_OUTPUT_TOKENS = 256  # with max_tokens unset, a request whose budget left allows fewer is refused

# Ranks the available providers: (complexity, prefer_cost, input_tokens, output_tokens) -> routes, best first.
Ranker = Callable[[QueryComplexity, bool, int, int], list[Route]]


@dataclass(frozen=True, slots=True)
class Plan:
    """A validated request and its failover chain of (provider, model); steps are laid out one by one,
    as the chain is walked."""

    chain: list[tuple[str, str]]
    messages: list[Message]
    temperature: float
    max_tokens: int | None
    stop: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Step:
    """One planned attempt of a failover chain. ``request.max_tokens`` is the output cap it asks for;
    the budget may grant less, down to ``minimum_output``."""

    provider_id: str
    request: ChatRequest
    info: ModelInfo | None
    input_bound: int
    minimum_output: int


def no_provider_message() -> str:
    names = ", ".join(name for spec in PROVIDERS.values() for name in spec.key_env)
    return f"no provider is configured: set at least one of {names}, or pass api_keys="


def plan_request(
    catalog: ModelCatalog,
    limit_usd: float | None,
    available: list[str],
    rank: Ranker,
    messages: Sequence[Message],
    model: str | None,
    provider_id: str | None,
    temperature: float,
    max_tokens: int | None,
    stop: str | Sequence[str] | None,
    task_type: str | None,
    prefer_cost: bool,
) -> Plan:
    """Validate a request and rank its failover chain; raises before anything is sent."""
    checked = validate_messages(messages)
    stops = validate_options(temperature, max_tokens, stop)
    if not available:
        raise NoProvidersConfiguredError(no_provider_message())
    if provider_id is not None and provider_id not in available:
        if provider_id not in PROVIDERS:
            raise InvalidRequestError(f"unknown provider_id {provider_id!r}; known: {list(PROVIDERS)}")
        raise InvalidRequestError(f"provider {provider_id!r} has no API key; available: {available}")
    first: tuple[str, str] | None = None
    if model is not None:
        info = catalog.get(model)
        if info is None and provider_id is None:
            raise InvalidRequestError(f"unknown model {model!r}: name its provider_id to use a model off the catalog")
        owner = provider_id or (info.provider_id if info else "")
        if info is not None and info.provider_id != owner:
            raise InvalidRequestError(f"model {model!r} belongs to {info.provider_id!r}, not {owner!r}")
        if owner not in available:
            raise InvalidRequestError(f"provider {owner!r} of model {model!r} has no API key; available: {available}")
        if info is None and limit_usd is not None:
            raise InvalidRequestError(f"model {model!r} is off the catalog, so it has no price: budget_usd cannot bound it")
        first = (owner, model)
    prompt = next(m["content"] for m in reversed(checked) if m["role"] == "user")  # validation ensured one
    complexity = analyze_query_complexity(prompt, task_type)
    output = max_tokens or DEFAULT_OUTPUT_TOKENS
    routes = rank(complexity, prefer_cost, estimate_message_tokens(checked), output)
    if len(routes) < len(available):
        # Providers with no model that fits still serve as a last resort, with the request truncated.
        covered = {r.provider_id for r in routes}
        routes += [r for r in rank(complexity, prefer_cost, 0, output) if r.provider_id not in covered]
    chain = [(r.provider_id, r.model) for r in routes]
    if first is None and provider_id is not None:
        first = next(pair for pair in chain if pair[0] == provider_id)
    if first is not None:
        chain = [first] + [pair for pair in chain if pair[0] != first[0]]
    if max_tokens is not None:
        windows = [info.context_window for _, name in chain if (info := catalog.get(name)) is not None]
        if len(windows) == len(chain) and max_tokens >= max(windows, default=0):
            raise InvalidRequestError(f"max_tokens={max_tokens} does not fit the context window of any model it could go to")
    return Plan(chain, checked, temperature, max_tokens, stops)


def lay_out(catalog: ModelCatalog, provider_id: str, model: str, plan: Plan) -> Step:
    """One attempt: the messages fitted to the model's window, and the output cap it may ask for: the
    caller's max_tokens, else what the window leaves, at most DEFAULT_MAX_OUTPUT_TOKENS."""
    messages, max_tokens = plan.messages, plan.max_tokens
    info = catalog.get(model)
    if info is None:
        wanted = max_tokens or DEFAULT_MAX_OUTPUT_TOKENS
        request = ChatRequest(model, tuple(messages), plan.temperature, wanted, plan.stop)
        return Step(provider_id, request, None, bound_message_tokens(messages), wanted)
    fitted = fit_messages(messages, info.context_window - (max_tokens or DEFAULT_OUTPUT_TOKENS))
    if max_tokens is None:
        wanted = min(DEFAULT_MAX_OUTPUT_TOKENS, info.context_window - estimate_message_tokens(fitted))
        minimum = min(MIN_OUTPUT_TOKENS, wanted)
    else:
        wanted = minimum = max_tokens
    request = ChatRequest(model, tuple(fitted), plan.temperature, wanted, plan.stop)
    return Step(provider_id, request, info, bound_message_tokens(fitted), minimum)


async def begin(
    catalog: ModelCatalog, ledger: Ledger, plan: Plan, index: int, attempts: list[Attempt]
) -> tuple[Step, ChatRequest, Hold] | None:
    """Lay out attempt ``index``, reserve its budget, and cap its output at what the money left pays
    for. The first attempt raises (before anything is sent) when it cannot be made; a failover attempt
    is recorded and skipped, since a later, cheaper or larger provider may still do. A ledger that cannot
    be used raises BudgetStoreError, whichever the attempt."""
    provider_id, model = plan.chain[index]
    try:
        step = lay_out(catalog, provider_id, model, plan)
        request, info = step.request, step.info
        if info is None:
            return step, request, await ledger.reserve(0.0, 0.0, wanted=0, minimum=0)
        wanted = request.max_tokens or 0
        held = await ledger.reserve(info.cost_usd(step.input_bound, 0), info.cost_usd(0, 1), wanted=wanted, minimum=step.minimum_output)
    except (BudgetExceededError, InvalidRequestError) as exc:
        if index == 0:
            raise
        attempts.append(Attempt(provider_id, model, None, str(exc)))
        return None
    if held.tokens != wanted:
        request = ChatRequest(request.model, request.messages, request.temperature, held.tokens, request.stop)
    return step, request, held


async def charge(ledger: Ledger, step: Step, request: ChatRequest, hold: Hold, reported: Usage | None, text: str) -> tuple[Usage, float]:
    """Settle an attempt the provider answered: its usage, capped at the input's UTF-8 size and at the
    output cap that was sent. When it reported none usable, the estimate is those bounds: a token per
    UTF-8 byte (of the input with its markup, of the text delivered), which no tokenizer in use exceeds,
    whatever the script."""
    if reported is None:
        _log.warning("%s reported no usable token counts; charging an estimate", step.provider_id)
    estimate = Usage(step.input_bound, bound_tokens(text))
    usage = chargeable_usage(reported, estimate, Usage(step.input_bound, request.max_tokens or 0))
    cost = step.info.cost_usd(usage.input_tokens, usage.output_tokens) if step.info else 0.0
    await ledger.settle(hold, step.provider_id, cost)
    return usage, cost


async def charge_unanswered(ledger: Ledger, step: Step, hold: Hold, *, reached: bool) -> None:
    """Settle an attempt that got no usable answer (an error, a timeout, a cancellation): once it may have
    reached the provider, which bills what it read, its input is charged at its bound; else nothing."""
    cost = step.info.cost_usd(step.input_bound, 0) if reached and step.info else 0.0
    await ledger.settle(hold, step.provider_id if cost > 0 else None, cost)
