"""Routing: how demanding a query is, which models may answer it, and what fits in their context."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

from byok.catalog import ModelCatalog
from byok.errors import InvalidRequestError
from byok.types import Message, ModelInfo, QueryComplexity, Route

CHARS_PER_TOKEN = 4  # a deliberate over-estimate for English; no tokenizer is loaded
MESSAGE_OVERHEAD_TOKENS = 4
# Generous bounds of the chat format's markup, for the input-token bound (see bound_message_tokens).
BOUND_OVERHEAD_PER_MESSAGE = 16
BOUND_OVERHEAD_PER_REQUEST = 64
DEFAULT_OUTPUT_TOKENS = 1024  # the reply size routing and context fitting plan for when the caller sets no max_tokens
DEFAULT_MAX_OUTPUT_TOKENS = 4096  # the output cap sent when the caller sets no max_tokens (less if the window is smaller)

# task_type -> complexity it implies at least
TASK_TYPES: Mapping[str, QueryComplexity] = {
    "chat": QueryComplexity.SIMPLE,
    "classification": QueryComplexity.SIMPLE,
    "extraction": QueryComplexity.SIMPLE,
    "summarization": QueryComplexity.MODERATE,
    "translation": QueryComplexity.MODERATE,
    "analysis": QueryComplexity.COMPLEX,
    "code": QueryComplexity.COMPLEX,
    "reasoning": QueryComplexity.ADVANCED,
    "research": QueryComplexity.ADVANCED,
}

# complexity -> lowest model tier expected to answer it well
REQUIRED_TIER: Mapping[QueryComplexity, int] = {
    QueryComplexity.SIMPLE: 1,
    QueryComplexity.MODERATE: 2,
    QueryComplexity.COMPLEX: 3,
    QueryComplexity.ADVANCED: 3,
}

_ADVANCED = re.compile(
    r"\b(prove|proof|theorem|derive|formal(ly)?|distributed system|architecture|step[- ]by[- ]step|"
    r"multi-step|research|novel|rigorous)\b",
    re.IGNORECASE,
)
_COMPLEX = re.compile(
    r"\b(analy[sz]e|compare|contrast|explain why|design|implement|debug|refactor|algorithm|evaluate|"
    r"trade-?offs?|optimi[sz]e|code|function|strategy)\b",
    re.IGNORECASE,
)


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def estimate_message_tokens(messages: Iterable[Message]) -> int:
    return sum(estimate_tokens(m["content"]) + MESSAGE_OVERHEAD_TOKENS for m in messages)


def bound_message_tokens(messages: Iterable[Message]) -> int:
    """An upper bound on the input tokens of ``messages``: no tokenizer in use makes more tokens than the
    UTF-8 bytes of the text (byte-level BPE emits at least one byte per token), plus the chat format's
    markup around each message and around the request."""
    total = BOUND_OVERHEAD_PER_REQUEST
    for message in messages:
        total += _utf8_size(message["content"]) + BOUND_OVERHEAD_PER_MESSAGE
    return total


def bound_tokens(text: str) -> int:
    """An upper bound on the tokens of ``text`` for any tokenizer in use, in any script: its UTF-8 bytes."""
    return _utf8_size(text)


def _utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def analyze_query_complexity(prompt: str, task_type: str | None = None) -> QueryComplexity:
    """Classify a prompt by its length and wording; a known ``task_type`` sets a floor."""
    score = 0
    tokens = estimate_tokens(prompt)
    if tokens > 2000:
        score += 2
    elif tokens > 400:
        score += 1
    score += 2 * min(len(_ADVANCED.findall(prompt)), 2)
    score += min(len(_COMPLEX.findall(prompt)), 2)
    if score >= 4:
        found = QueryComplexity.ADVANCED
    elif score >= 2:
        found = QueryComplexity.COMPLEX
    elif score == 1:
        found = QueryComplexity.MODERATE
    else:
        found = QueryComplexity.SIMPLE
    if task_type is None:
        return found
    floor = TASK_TYPES.get(task_type)
    if floor is None:
        raise InvalidRequestError(f"unknown task_type {task_type!r}; known: {', '.join(sorted(TASK_TYPES))}")
    return max(found, floor)


def rank_routes(
    catalog: ModelCatalog,
    provider_ids: Sequence[str],
    complexity: QueryComplexity,
    *,
    input_tokens: int = 0,
    output_tokens: int = DEFAULT_OUTPUT_TOKENS,
    prefer_cost: bool = True,
) -> list[Route]:
    """One route per provider that has a model whose window fits, best first.

    A provider's route is its cheapest model of the required tier that fits, else its strongest model that
    fits. Routes meeting the tier come first; among them, the cheapest first when ``prefer_cost``, else the
    strongest first. Ties keep the order of ``provider_ids``.
    """
    need_tier = REQUIRED_TIER[complexity]
    needed = input_tokens + output_tokens
    ranked: list[tuple[tuple[float, ...], Route]] = []
    for order, provider_id in enumerate(provider_ids):
        fitting = [m for m in catalog.for_provider(provider_id) if m.context_window >= needed]
        if not fitting:
            continue
        adequate = [m for m in fitting if m.tier >= need_tier]
        if adequate:
            model = min(adequate, key=lambda m: (m.cost_usd(input_tokens, output_tokens), -m.tier))
        else:
            model = max(fitting, key=lambda m: (m.tier, -m.cost_usd(input_tokens, output_tokens)))
        cost = model.cost_usd(input_tokens, output_tokens)
        quality = -model.tier if not prefer_cost else 0
        key = (0.0 if model.tier >= need_tier else 1.0, float(quality), cost, float(order))
        ranked.append((key, _route(model, cost)))
    ranked.sort(key=lambda pair: pair[0])
    return [route for _, route in ranked]


def _route(model: ModelInfo, cost: float) -> Route:
    return Route(model.provider_id, model.model, cost, model.context_window, model.tier)


def truncate_text(text: str, budget_tokens: int) -> str:
    """The newest part of ``text`` that fits ``budget_tokens`` (the end of a prompt is what it asks)."""
    if budget_tokens <= 0:
        return ""
    limit = budget_tokens * CHARS_PER_TOKEN
    return text if len(text) <= limit else text[-limit:]


def fit_messages(messages: Sequence[Message], budget_tokens: int) -> list[Message]:
    """Drop the oldest non-system messages, then shorten the last one, until the estimate fits; a
    shortened conversation then drops leading assistant messages so that it starts with the user.
    Linear in the number of messages: a conversation of 40,000 messages is fitted in milliseconds.

    Raises InvalidRequestError when the system messages alone do not fit.
    """
    kept = list(messages)
    sizes = [estimate_tokens(m["content"]) + MESSAGE_OVERHEAD_TOKENS for m in kept]
    total = sum(sizes)
    dropped: set[int] = set()
    for i in [i for i, m in enumerate(kept) if m["role"] != "system"][:-1]:  # the oldest first, never the last
        if total <= budget_tokens:
            break
        dropped.add(i)
        total -= sizes[i]
    kept = [m for i, m in enumerate(kept) if i not in dropped]
    if total > budget_tokens:
        last = kept[-1]
        others = total - estimate_tokens(last["content"]) - MESSAGE_OVERHEAD_TOKENS
        room = budget_tokens - others - MESSAGE_OVERHEAD_TOKENS
        if last["role"] == "system" or room <= 0:
            raise InvalidRequestError(f"the system messages alone (~{others} tokens) do not fit a context of {budget_tokens} tokens")
        kept[-1] = {"role": last["role"], "content": truncate_text(last["content"], room)}
    if len(kept) < len(messages):  # a shortened conversation still starts with the user, as the APIs want
        rest = [i for i, m in enumerate(kept) if m["role"] != "system"]
        lead = 0
        while lead < len(rest) - 1 and kept[rest[lead]]["role"] == "assistant":
            lead += 1
        leading = set(rest[:lead])
        kept = [m for i, m in enumerate(kept) if i not in leading]
    return kept
