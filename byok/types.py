"""Value types of the handler's public API."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal, TypedDict

Role = Literal["system", "user", "assistant"]
ROLES: frozenset[str] = frozenset({"system", "user", "assistant"})


class Message(TypedDict):
    """One chat message, as every provider's chat API takes it."""

    role: Role
    content: str


class QueryComplexity(enum.IntEnum):
    """How demanding a query is; decides the lowest model tier that may answer it."""

    SIMPLE = 1
    MODERATE = 2
    COMPLEX = 3
    ADVANCED = 4


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts reported by the provider for one request."""

    input_tokens: int
    output_tokens: int

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True, slots=True)
class ChatResult:
    """The outcome of ``generate_response``."""

    text: str
    provider_id: str
    model: str
    usage: Usage
    cost_usd: float
    finish_reason: str


@dataclass(frozen=True, slots=True)
class StreamChunk:
    """One piece of ``stream_completion``. Only the last chunk carries finish_reason, usage and cost."""

    text: str
    provider_id: str
    model: str
    finish_reason: str | None = None
    usage: Usage | None = None
    cost_usd: float | None = None


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One model of the catalog: its provider, prices per million tokens, context window and tier."""

    model: str
    provider_id: str
    input_usd_per_mtok: float
    output_usd_per_mtok: float
    context_window: int
    tier: int

    def cost_usd(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.input_usd_per_mtok + output_tokens * self.output_usd_per_mtok) / 1_000_000


@dataclass(frozen=True, slots=True)
class Route:
    """One provider in a ranked chain: the model it would serve and the estimated cost."""

    provider_id: str
    model: str
    estimated_cost_usd: float
    context_window: int
    tier: int


@dataclass(frozen=True, slots=True)
class RoutingInfo:
    """What the router would do with a prompt, without sending anything."""

    complexity: QueryComplexity
    estimated_input_tokens: int
    routes: tuple[Route, ...]
