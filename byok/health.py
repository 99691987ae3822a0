"""Provider health: a provider that keeps failing is moved to the end of the chain for a while."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence


class HealthTracker:
    """After ``threshold`` consecutive failures a provider is demoted for ``cooldown_s`` seconds."""

    def __init__(self, *, threshold: int = 3, cooldown_s: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._failures: dict[str, int] = {}
        self._demoted_until: dict[str, float] = {}

    def record_success(self, provider_id: str) -> None:
        self._failures.pop(provider_id, None)
        self._demoted_until.pop(provider_id, None)

    def record_failure(self, provider_id: str) -> None:
        count = self._failures.get(provider_id, 0) + 1
        self._failures[provider_id] = count
        if count >= self.threshold:
            self._demoted_until[provider_id] = self._clock() + self.cooldown_s

    def is_demoted(self, provider_id: str) -> bool:
        until = self._demoted_until.get(provider_id)
        return until is not None and self._clock() < until

    def order(self, provider_ids: Sequence[str]) -> list[str]:
        """``provider_ids`` with the demoted ones moved to the end, each group in its given order."""
        if not self._demoted_until:
            return list(provider_ids)
        healthy = [p for p in provider_ids if not self.is_demoted(p)]
        return healthy + [p for p in provider_ids if self.is_demoted(p)]
