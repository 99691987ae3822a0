"""BYOK: one chat handler over six LLM providers, with the user's own API keys."""

from byok.errors import (
    AllProvidersFailedError,
    Attempt,
    BudgetExceededError,
    BYOKError,
    InvalidRequestError,
    NoProvidersConfiguredError,
    ProviderError,
    StreamInterruptedError,
)
from byok.handler import BYOKHandler
from byok.types import ChatResult, Message, ModelInfo, QueryComplexity, Route, RoutingInfo, StreamChunk, Usage

__all__ = [
    "AllProvidersFailedError",
    "Attempt",
    "BYOKError",
    "BYOKHandler",
    "BudgetExceededError",
    "ChatResult",
    "InvalidRequestError",
    "Message",
    "ModelInfo",
    "NoProvidersConfiguredError",
    "ProviderError",
    "QueryComplexity",
    "Route",
    "RoutingInfo",
    "StreamChunk",
    "StreamInterruptedError",
    "Usage",
]
