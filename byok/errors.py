"""Errors raised by the handler. None of them ever carries an API key."""

from __future__ import annotations

from dataclasses import dataclass

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` as one line that is safe on a terminal: every character that is not printable (line
    breaks, escape sequences, control and format characters) is shown escaped, as ``\\n`` or ``\\x1b``."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _ESCAPES.get(c) or c.encode("unicode_escape").decode("ascii") for c in text)


class BYOKError(Exception):
    """Base class of every error the handler raises on purpose."""


class InvalidRequestError(BYOKError, ValueError):
    """The request is malformed; nothing was sent."""


class NoProvidersConfiguredError(BYOKError):
    """No provider has a key (or an injected client), so nothing can be sent."""


class ProviderError(BYOKError):
    """One provider failed one request.

    ``retryable`` tells the handler whether another provider may take the request over.
    ``status`` is the HTTP status when there was one (None for timeouts and lost connections).
    ``reached`` says whether the request may have reached the provider, to be billed: false when it surely
    did not (the connection was never made) or was refused (by default: when there is an error status).
    The message is made one printable line: it may quote a provider's text.
    """

    def __init__(self, provider_id: str, message: str, *, status: int | None = None, retryable: bool, reached: bool | None = None) -> None:
        message = printable(message)
        super().__init__(f"{provider_id}: {message}")
        self.provider_id = provider_id
        self.status = status
        self.retryable = retryable
        self.reached = status is None if reached is None else reached
        self.reason = message


@dataclass(frozen=True, slots=True)
class Attempt:
    """One provider tried during a failover chain, and why it failed."""

    provider_id: str
    model: str
    status: int | None
    reason: str

    def __str__(self) -> str:
        status = f"HTTP {self.status}" if self.status is not None else "no status"
        return printable(f"{self.provider_id}/{self.model} ({status}): {self.reason}")


class AllProvidersFailedError(BYOKError):
    """Every provider in the chain failed; ``attempts`` lists them in order."""

    def __init__(self, attempts: list[Attempt]) -> None:
        lines = "; ".join(str(a) for a in attempts)
        super().__init__(f"all {len(attempts)} provider attempt(s) failed: {lines}")
        self.attempts = tuple(attempts)


class BudgetExceededError(BYOKError):
    """The request's estimated cost would take spending past ``budget_usd``; nothing was sent."""

    def __init__(self, *, limit_usd: float, committed_usd: float, estimate_usd: float) -> None:
        super().__init__(
            f"budget of ${limit_usd:.6f} would be exceeded: ${committed_usd:.6f} already spent or reserved, "
            f"this request is estimated at ${estimate_usd:.6f}"
        )
        self.limit_usd = limit_usd
        self.committed_usd = committed_usd
        self.estimate_usd = estimate_usd


class BudgetStoreError(BYOKError):
    """The shared budget ledger could not be used: ``problem`` is "unreachable", "timed out" or "invalid
    reply". Nothing was sent to any provider for the request that raised it."""

    def __init__(self, where: str, problem: str, detail: str) -> None:
        super().__init__(printable(f"the budget ledger at {where} {problem}: {detail}; nothing was sent"))
        self.where = where
        self.problem = problem


class StreamInterruptedError(BYOKError):
    """A stream failed after text was already delivered; the text is not replayed elsewhere."""

    def __init__(self, provider_id: str, reason: str, *, delivered_chars: int) -> None:
        reason = printable(reason)
        super().__init__(f"{provider_id}: stream interrupted after {delivered_chars} characters: {reason}")
        self.provider_id = provider_id
        self.reason = reason
        self.delivered_chars = delivered_chars
