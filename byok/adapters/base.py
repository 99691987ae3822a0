"""What the handler asks of a provider adapter, and the values that cross that boundary."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol

from byok.errors import ProviderError
from byok.providers import redact
from byok.types import Message, Usage


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One request as the handler hands it to an adapter, already validated and routed."""

    model: str
    messages: tuple[Message, ...]
    temperature: float = 0.7
    max_tokens: int | None = None
    stop: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Completion:
    """A whole reply. ``usage`` is None only when the provider reported none."""

    text: str
    finish_reason: str
    usage: Usage | None


@dataclass(frozen=True, slots=True)
class Delta:
    """One piece of a streamed reply; the last one carries finish_reason and, when reported, usage."""

    text: str
    finish_reason: str | None = None
    usage: Usage | None = None


class ProviderAdapter(Protocol):
    """The port the handler drives. Failures are raised as ``byok.errors.ProviderError``."""

    provider_id: str

    async def complete(self, request: ChatRequest) -> Completion: ...

    def stream(self, request: ChatRequest) -> AsyncIterator[Delta]: ...

    async def aclose(self) -> None: ...


RETRYABLE_STATUSES = frozenset({401, 403, 408, 409, 429})


def is_retryable_status(status: int) -> bool:
    """Statuses another provider may recover from: rate limits, server faults, this provider's key."""
    return status >= 500 or status in RETRYABLE_STATUSES


def provider_failure(
    provider_id: str,
    secret: str,
    exc: Exception,
    sdk: ModuleType,
    rejected: type[Exception] | None = None,
    not_sent: tuple[type[Exception], ...] = (),
) -> ProviderError:
    """Translate an exception raised by ``sdk`` (openai or anthropic, which share their error classes'
    names and shape) into a ProviderError that says whether failover may help, with ``secret`` redacted.
    A ``rejected`` error anywhere in the exception's chain (the transport refused the reply) says why; a
    ``not_sent`` one, or an error status, says that the provider did not take the request to bill it."""
    reached = True
    reason: str | None = None
    cause: BaseException | None = exc
    while cause is not None:
        reached = reached and not isinstance(cause, not_sent)
        if reason is None and rejected is not None and isinstance(cause, rejected):
            reason = redact(f"reply rejected: {cause}", (secret,))
        cause = cause.__cause__ or cause.__context__
    if reason is not None:
        return ProviderError(provider_id, reason, retryable=True, reached=reached)
    if isinstance(exc, sdk.APIStatusError):
        status = int(exc.status_code)
        message = redact(f"HTTP {status}: {exc.message}", (secret,))
        return ProviderError(provider_id, message, status=status, retryable=is_retryable_status(status))
    if isinstance(exc, sdk.APITimeoutError):
        return ProviderError(provider_id, "timed out", retryable=True, reached=reached)
    if isinstance(exc, sdk.APIConnectionError):
        return ProviderError(provider_id, "connection failed", retryable=True, reached=reached)
    reason = redact(f"malformed or broken response ({type(exc).__name__}: {exc})", (secret,))
    return ProviderError(provider_id, reason, retryable=True)


def malformed(provider_id: str, what: str) -> ProviderError:
    """A reply that does not follow the wire format: another provider may do better."""
    return ProviderError(provider_id, f"malformed response: {what}", retryable=True)
