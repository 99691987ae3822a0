"""A budget shared by every worker that names the same Redis server and key.

Each attempt takes a lease: its worst case is held on the server, atomically against what every worker
has spent and holds, and released with the actual cost when the attempt ends. A worker that dies holding
a lease holds nothing once the lease expires (``lease_s``: the handler's timeout plus a grace period, so
a live worker always settles first). A settlement that cannot reach Redis is kept and sent before this
worker's next reservation; settling twice charges once.

The ledger fails closed: Redis unreachable, slower than ``timeout_s``, or answering nonsense raises
BudgetStoreError before anything is sent.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from redis import exceptions as redis_errors

from byok.budget import SLACK, Budget, chargeable, check_costs, checked_limit
from byok.errors import BudgetExceededError, BudgetStoreError
from byok.ledger import BudgetPlace, BudgetStatus, Hold
from byok.ledger_scripts import RESERVE, SETTLE, STATUS, budget_keys, settled_key
from byok.validation import positive_number

if TYPE_CHECKING:
    from contracts.redis_client_protocol import RedisClientProtocol

_log = logging.getLogger("byok")
T = TypeVar("T")

# The longest one round trip to Redis may take before the ledger fails closed. It counts time the event loop
# spends elsewhere too (a worker importing an SDK on first use blocks it for a second or more), so it is not tight.
STORE_TIMEOUT_S = 5.0

# Makes a client for a Redis URL, with a timeout for each connect and read.
Connect = Callable[[str, float], "RedisClientProtocol"]


def connect(url: str, timeout_s: float) -> RedisClientProtocol:
    """The official asyncio client, with one quick retry on a fresh connection (after a restart, a pooled
    connection is dead) and nothing slower: the ledger bounds every call with ``timeout_s`` anyway."""
    from redis.asyncio import Redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return Redis.from_url(
        url, decode_responses=True, socket_timeout=timeout_s, socket_connect_timeout=timeout_s, retry=Retry(NoBackoff(), 1)
    )


class RedisLedger:
    """The Ledger kept in Redis under ``place``. ``local`` tallies this handler's own share."""

    def __init__(
        self, place: BudgetPlace, limit_usd: float | None, connect: Connect, *, lease_s: float, timeout_s: float = STORE_TIMEOUT_S
    ) -> None:
        self._limit = checked_limit(limit_usd)
        self._place = place
        self._connect = connect
        self._lease_ms = math.ceil(positive_number("lease_s", lease_s) * 1000)
        self._timeout_s = positive_number("timeout_s", timeout_s)
        self._keys = budget_keys(place.key)
        self._local = Budget(None)
        self._client: RedisClientProtocol | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unsent: list[tuple[str, str, float]] = []  # settlements Redis did not take: (lease, provider, charge)

    def __repr__(self) -> str:
        return f"RedisLedger({self._place.shown}, limit_usd={self._limit!r})"

    @property
    def limit_usd(self) -> float | None:
        return self._limit

    @property
    def local(self) -> Budget:
        return self._local

    async def reserve(self, fixed_usd: float, usd_per_token: float, *, wanted: int, minimum: int) -> Hold:
        check_costs(fixed_usd, usd_per_token)
        await self._send_unsent()
        lease = uuid.uuid4().hex
        limit = "" if self._limit is None else repr(self._limit)
        args = (limit, repr(fixed_usd), repr(usd_per_token), wanted, minimum, lease, self._lease_ms, repr(SLACK))
        try:
            granted, tokens, amount, committed = await self._run(
                RESERVE, self._keys, args, functools.partial(_reservation, wanted=wanted, minimum=minimum)
            )
        except BaseException:  # the server may have granted it: release it with the next call that gets through
            self._unsent.append((lease, "", 0.0))
            raise
        if not granted:
            assert self._limit is not None  # without a limit every reservation is granted
            raise BudgetExceededError(limit_usd=self._limit, committed_usd=committed, estimate_usd=fixed_usd + minimum * usd_per_token)
        self._local.reserve_output(amount, 0.0, wanted=0, minimum=0)
        return Hold(tokens, amount, lease)

    async def settle(self, hold: Hold, provider_id: str | None, cost_usd: float) -> None:
        charge = chargeable(cost_usd, hold.amount_usd, limited=self._limit is not None) if provider_id else 0.0
        self._local.settle(hold.amount_usd, provider_id, charge)
        self._unsent.append((hold.lease, provider_id or "", charge))
        try:
            await self._send_unsent()
        except BudgetStoreError as exc:  # kept, and sent before this worker's next reservation
            _log.warning("%s; the settlement of %d attempt(s) is kept until Redis answers", exc, len(self._unsent))

    async def status(self) -> BudgetStatus:
        await self._send_unsent()
        return await self._run(STATUS, self._keys, (), _status)

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None and self._loop is asyncio.get_running_loop():
            await client.aclose()

    async def _send_unsent(self) -> None:
        """Send every kept settlement. Each is taken off the list before it is sent, so that concurrent
        callers never send the same one; one that fails goes back to the front."""
        while self._unsent:
            lease, provider_id, charge = settlement = self._unsent.pop(0)
            keys = (*self._keys[:3], settled_key(self._place.key, lease))
            try:
                await self._run(SETTLE, keys, (lease, provider_id, repr(charge), self._lease_ms * 10), _settled)
            except BaseException:
                self._unsent.insert(0, settlement)
                raise

    def _client_here(self) -> RedisClientProtocol:
        """One client per event loop: a client's connections belong to the loop that opened them."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client, self._loop = self._connect(self._place.url, self._timeout_s), loop
        return self._client

    async def _run(self, script: str, keys: Sequence[str], args: Sequence[str | int], parse: Callable[[object], T]) -> T:
        """Run ``script`` on the server and read its reply with ``parse`` (ValueError: a reply of the wrong
        shape); every way this fails is a BudgetStoreError."""
        client = self._client_here()
        where = self._place.shown
        try:
            async with asyncio.timeout(self._timeout_s):
                reply: object = await client.eval(script, len(keys), *keys, *args)
        except (TimeoutError, redis_errors.TimeoutError):
            raise BudgetStoreError(where, "timed out", f"no answer within {self._timeout_s:g} s") from None
        except (redis_errors.ConnectionError, OSError) as exc:
            raise BudgetStoreError(where, "is unreachable", _said(exc)) from None
        except redis_errors.RedisError as exc:
            raise BudgetStoreError(where, "gave an invalid reply", _said(exc)) from None
        try:
            return parse(reply)
        except ValueError as exc:
            raise BudgetStoreError(where, "gave an invalid reply", str(exc)) from None


def _said(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:200]


def _amount(value: object) -> float:
    """A dollar amount sent by a script: a string of a finite number >= 0."""
    if not isinstance(value, str):
        raise ValueError(f"an amount is a {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"an amount is {value!r:.40}")
    return number


def _settled(reply: object) -> object:
    """SETTLE's reply: 1, or 0 when the lease was settled before; ValueError if it is neither."""
    if reply not in (0, 1):
        raise ValueError(f"a settlement answered {reply!r:.80}")
    return reply


def _reservation(reply: object, *, wanted: int, minimum: int) -> tuple[bool, int, float, float]:
    """(granted, tokens, amount held, committed before) from RESERVE's reply; ValueError if it is not one."""
    if isinstance(reply, list) and len(reply) == 2 and reply[0] == 0:
        return False, 0, 0.0, _amount(reply[1])
    if isinstance(reply, list) and len(reply) == 4 and reply[0] == 1:
        tokens = reply[1]
        if isinstance(tokens, bool) or not isinstance(tokens, int) or not minimum <= tokens <= wanted:
            raise ValueError(f"granted {tokens!r:.40} tokens, not {minimum} to {wanted}")
        return True, tokens, _amount(reply[2]), _amount(reply[3])
    raise ValueError(f"a reservation answered {reply!r:.80}")


def _status(reply: object) -> BudgetStatus:
    """What STATUS answered; ValueError if it is not a status."""
    if not isinstance(reply, list) or len(reply) < 2 or len(reply) % 2 or not isinstance(reply[0], str):
        raise ValueError(f"a status answered {reply!r:.80}")
    limit = _amount(reply[0]) if reply[0] else None
    spent = {str(name): _amount(amount) for name, amount in zip(reply[2::2], reply[3::2], strict=True)}
    return BudgetStatus(limit, spent, _amount(reply[1]))
