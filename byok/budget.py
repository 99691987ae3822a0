"""Spending: a hard limit. Each attempt reserves its worst-case cost before it is sent, and is charged at
most that reservation afterwards, so that spending never passes the limit, even under concurrency."""

from __future__ import annotations

import math
import threading
from collections import defaultdict

from byok.errors import BudgetExceededError, InvalidRequestError
from byok.types import Usage
from byok.validation import positive_number

MAX_BUDGET_USD = 1e9  # far above any real budget, and far below where the arithmetic of token counts overflows

# Floating-point sums of many small charges may drift by an ulp or so; reservations keep this much clear.
SLACK = 1e-9


def checked_limit(limit_usd: float | None) -> float | None:
    """``budget_usd`` as a finite float from 0 to MAX_BUDGET_USD, or None; else InvalidRequestError."""
    return None if limit_usd is None else positive_number("budget_usd", limit_usd, allow_zero=True, at_most=MAX_BUDGET_USD)


def check_costs(fixed_usd: float, usd_per_token: float) -> None:
    """InvalidRequestError unless both costs are finite numbers >= 0."""
    if not (math.isfinite(fixed_usd) and fixed_usd >= 0 and math.isfinite(usd_per_token) and usd_per_token >= 0):
        raise InvalidRequestError(f"a cost must be a finite number >= 0, got {fixed_usd!r} and {usd_per_token!r}")


def chargeable(cost_usd: float, reservation: float, *, limited: bool) -> float:
    """What settling an attempt charges: its cost (nothing if that is not a positive number), at most its
    reservation when there is a limit."""
    charge = cost_usd if math.isfinite(cost_usd) and cost_usd > 0 else 0.0
    return min(charge, reservation) if limited else charge


class Budget:
    """Tracks spending per provider. Reservations make the check correct under concurrency:
    concurrent requests cannot all pass the check against the same remaining money."""

    def __init__(self, limit_usd: float | None) -> None:
        self.limit_usd = checked_limit(limit_usd)
        self._lock = threading.Lock()
        self._reserved = 0.0
        self._spent: defaultdict[str, float] = defaultdict(float)

    def reserve(self, estimate_usd: float) -> float:
        """Hold ``estimate_usd`` for one request, or raise BudgetExceededError before anything is sent."""
        return self.reserve_output(estimate_usd, 0.0, wanted=0, minimum=0)[1]

    def reserve_output(self, fixed_usd: float, usd_per_token: float, *, wanted: int, minimum: int) -> tuple[int, float]:
        """Hold the cost of one attempt: ``fixed_usd`` (its input) plus as many output tokens at
        ``usd_per_token`` as the money left allows, at most ``wanted``. Returns the output tokens granted
        and the amount held, or raises BudgetExceededError when fewer than ``minimum`` tokens fit."""
        check_costs(fixed_usd, usd_per_token)
        with self._lock:
            tokens = wanted
            if self.limit_usd is not None:
                committed = sum(self._spent.values()) + self._reserved
                left = self.limit_usd - committed - self.limit_usd * SLACK - fixed_usd
                if usd_per_token > 0 and left >= 0:
                    tokens = min(wanted, math.floor(left / usd_per_token))
                if left < 0 or tokens < minimum:
                    estimate = fixed_usd + minimum * usd_per_token
                    raise BudgetExceededError(limit_usd=self.limit_usd, committed_usd=committed, estimate_usd=estimate)
            held = fixed_usd + tokens * usd_per_token
            self._reserved += held
            return tokens, held

    def settle(self, reservation: float, provider_id: str | None, cost_usd: float) -> None:
        """Release a reservation and charge what the request really cost (nothing when it failed), never
        more than was reserved for it."""
        with self._lock:
            self._reserved = max(0.0, self._reserved - reservation)
            if provider_id is None:
                return
            self._spent[provider_id] += chargeable(cost_usd, reservation, limited=self.limit_usd is not None)

    @property
    def reserved_usd(self) -> float:
        """Held for requests in flight."""
        with self._lock:
            return self._reserved

    @property
    def spent_usd(self) -> float:
        with self._lock:
            return sum(self._spent.values())

    def spent_by_provider(self) -> dict[str, float]:
        with self._lock:
            return dict(self._spent)


def chargeable_usage(reported: Usage | None, estimate: Usage, bound: Usage) -> Usage:
    """What an attempt is charged for: the provider's usage, or ``estimate`` when it reported none that is
    usable, each count capped at its ``bound`` (the input's UTF-8 size, the output cap that was sent)."""
    usage = estimate if reported is None else reported
    return Usage(min(usage.input_tokens, bound.input_tokens), min(usage.output_tokens, bound.output_tokens))
