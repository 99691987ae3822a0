"""Spending: a limit checked on an estimate before sending, charged with the real cost after."""

from __future__ import annotations

import threading
from collections import defaultdict

from byok.errors import BudgetExceededError


class Budget:
    """Tracks spending per provider. Reservations make the check correct under concurrency:
    concurrent requests cannot all pass the check against the same remaining money."""

    def __init__(self, limit_usd: float | None) -> None:
        if limit_usd is not None and limit_usd < 0:
            raise ValueError(f"budget_usd must be >= 0, got {limit_usd}")
        self.limit_usd = limit_usd
        self._lock = threading.Lock()
        self._reserved = 0.0
        self._spent: defaultdict[str, float] = defaultdict(float)

    def reserve(self, estimate_usd: float) -> float:
        """Hold ``estimate_usd`` for one request, or raise BudgetExceededError before anything is sent."""
        with self._lock:
            committed = sum(self._spent.values()) + self._reserved
            if self.limit_usd is not None and committed + estimate_usd > self.limit_usd:
                raise BudgetExceededError(
                    limit_usd=self.limit_usd, committed_usd=committed, estimate_usd=estimate_usd
                )
            self._reserved += estimate_usd
            return estimate_usd

    def settle(self, reservation: float, provider_id: str | None, cost_usd: float) -> None:
        """Release a reservation and charge what the request really cost (nothing when it failed)."""
        with self._lock:
            self._reserved = max(0.0, self._reserved - reservation)
            if provider_id is not None:
                self._spent[provider_id] += cost_usd

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
