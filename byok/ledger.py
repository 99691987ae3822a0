"""Where the budget is kept: a ledger that reserves an attempt's worst case before it is sent, settles its
actual cost afterwards, and tells what was spent. In one process by default; shared by every worker that
names the same Redis server and key (``byok.redis_ledger``)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from byok.budget import Budget
from byok.errors import InvalidRequestError
from byok.providers import public_url

URL_ENV, KEY_ENV = "BYOK_BUDGET_URL", "BYOK_BUDGET_KEY"
DEFAULT_KEY = "default"
_KEY_SHAPE = re.compile(r"[A-Za-z0-9_.:\-]{1,100}")
_SCHEMES = ("redis://", "rediss://", "unix://")


@dataclass(frozen=True, slots=True)
class Hold:
    """One attempt's reservation: the output tokens it may ask for, the money held, and its lease in a
    shared ledger ("" in the in-process one)."""

    tokens: int
    amount_usd: float
    lease: str = ""


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    """What a ledger holds: money spent by provider, money held for attempts in flight, and the limit."""

    limit_usd: float | None
    spent_by_provider: Mapping[str, float] = field(default_factory=dict)
    reserved_usd: float = 0.0

    @property
    def spent_usd(self) -> float:
        return sum(self.spent_by_provider.values())

    @property
    def remaining_usd(self) -> float | None:
        """The limit less what is spent and held; None without a limit."""
        if self.limit_usd is None:
            return None
        return max(0.0, self.limit_usd - self.spent_usd - self.reserved_usd)


class Ledger(Protocol):
    """What the handler needs of a budget. ``local`` is what this handler itself spent and holds."""

    @property
    def limit_usd(self) -> float | None: ...

    @property
    def local(self) -> Budget: ...

    async def reserve(self, fixed_usd: float, usd_per_token: float, *, wanted: int, minimum: int) -> Hold:
        """Hold ``fixed_usd`` plus as many output tokens at ``usd_per_token`` as the money left allows, at
        most ``wanted``; BudgetExceededError when fewer than ``minimum`` fit."""
        ...

    async def settle(self, hold: Hold, provider_id: str | None, cost_usd: float) -> None:
        """Release ``hold`` and charge ``provider_id`` what the attempt cost, at most what was held
        (nothing when ``provider_id`` is None)."""
        ...

    async def status(self) -> BudgetStatus: ...

    async def aclose(self) -> None: ...


class LocalLedger:
    """The budget of one handler in one process: a ``Budget``."""

    def __init__(self, limit_usd: float | None) -> None:
        self._budget = Budget(limit_usd)

    @property
    def limit_usd(self) -> float | None:
        return self._budget.limit_usd

    @property
    def local(self) -> Budget:
        return self._budget

    async def reserve(self, fixed_usd: float, usd_per_token: float, *, wanted: int, minimum: int) -> Hold:
        tokens, held = self._budget.reserve_output(fixed_usd, usd_per_token, wanted=wanted, minimum=minimum)
        return Hold(tokens, held)

    async def settle(self, hold: Hold, provider_id: str | None, cost_usd: float) -> None:
        self._budget.settle(hold.amount_usd, provider_id, cost_usd)

    async def status(self) -> BudgetStatus:
        return BudgetStatus(self._budget.limit_usd, self._budget.spent_by_provider(), self._budget.reserved_usd)

    async def aclose(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class BudgetSettings:
    """How a handler is to keep its budget: its limit, and the shared ledger (a Redis URL, which may hold
    a password, and a key), each unset to take the default."""

    limit_usd: float | None = None
    url: str | None = field(default=None, repr=False)
    key: str | None = None


@dataclass(frozen=True, slots=True)
class BudgetPlace:
    """A shared ledger: a Redis URL and the key that names one budget in it. The URL may carry a
    password, so only ``shown`` is ever printed."""

    url: str = field(repr=False)
    key: str = DEFAULT_KEY

    @property
    def shown(self) -> str:
        return f"{public_url(self.url)} (key {self.key!r})"

    def __repr__(self) -> str:
        return f"BudgetPlace({self.shown})"


def budget_place(url: str | None, key: str | None, environ: Mapping[str, str] | None = None) -> BudgetPlace | None:
    """The shared ledger named by ``url`` and ``key``, each else from BYOK_BUDGET_URL and BYOK_BUDGET_KEY;
    None when no URL is given. InvalidRequestError names a bad value without repeating the URL."""
    env = os.environ if environ is None else environ
    url = url if url is not None else env.get(URL_ENV) or None
    key = key if key is not None else env.get(KEY_ENV) or None
    if url is None:
        if key is not None:
            raise InvalidRequestError(f"a budget key ({key!r}) needs a budget URL: pass budget_url= or set {URL_ENV}")
        return None
    if not isinstance(url, str) or not url.startswith(_SCHEMES) or not url.isprintable():
        raise InvalidRequestError(
            f"the budget URL must start with one of {', '.join(_SCHEMES)} (it is not repeated here: it may hold a password)"
        )
    if key is None:
        key = DEFAULT_KEY
    if not isinstance(key, str) or not _KEY_SHAPE.fullmatch(key):
        raise InvalidRequestError(f"the budget key must be 1 to 100 letters, digits or _.:- characters, got {key!r}")
    return BudgetPlace(url, key)


def open_ledger(limit_usd: float | None, place: BudgetPlace | None, *, lease_s: float) -> Ledger:
    """The in-process ledger, or the Redis ledger at ``place`` (its extra must be installed)."""
    if place is None:
        return LocalLedger(limit_usd)
    try:
        from byok.redis_ledger import RedisLedger, connect
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.partition(".")[0] != "redis":
            raise
        raise InvalidRequestError("a budget URL needs the Redis client: pip install 'byok-contracts[redis]'") from None
    return RedisLedger(place, limit_usd, connect, lease_s=lease_s)
