"""The Redis ledger against a deep double of the official client (``double(RedisClientProtocol)``,
generated from ``redis.asyncio.Redis``): what it sends, how it reads each reply, and how it fails closed.
The scripts themselves run on a real server in tests/integration/test_redis_ledger.py."""

from __future__ import annotations

import asyncio

import pytest
from protodoubles import double, mock_of
from redis import exceptions as redis_errors
from redis.typing import EncodableT, KeyT

from byok.errors import BudgetExceededError, BudgetStoreError
from byok.ledger import BudgetPlace, BudgetStatus, Hold, budget_place
from byok.ledger_scripts import RESERVE, SETTLE, STATUS, budget_keys, settled_key
from byok.redis_ledger import RedisLedger
from contracts.redis_client_protocol import RedisClientProtocol

PASSWORD = "hunter2-very-secret"
PLACE = BudgetPlace(f"redis://:{PASSWORD}@127.0.0.1:6390/0", "team-a")
KEYS = budget_keys("team-a")

Reply = object | BaseException


def scripted(client: RedisClientProtocol, *replies: Reply) -> list[tuple[str, tuple[KeyT | EncodableT, ...]]]:
    """Make ``client.eval`` answer ``replies`` in order (an exception is raised); returns the calls."""
    sent: list[tuple[str, tuple[KeyT | EncodableT, ...]]] = []
    queue = list(replies)

    async def answer(script: str, numkeys: int, *keys_and_args: KeyT | EncodableT) -> object:
        assert numkeys == 4
        sent.append((script, keys_and_args))
        reply = queue.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return reply

    mock_of(client.eval).side_effect(answer)
    return sent


def ledger_on(client: RedisClientProtocol, limit: float | None = 1.0, timeout_s: float = 2.0) -> RedisLedger:
    made: list[str] = []

    def connect(url: str, timeout: float) -> RedisClientProtocol:
        made.append(url)
        assert timeout == timeout_s
        return client

    return RedisLedger(PLACE, limit, connect, lease_s=150.0, timeout_s=timeout_s)


async def test_a_reservation_sends_the_limit_costs_and_lease_and_holds_what_the_server_granted() -> None:
    client = double(RedisClientProtocol)
    sent = scripted(client, [1, 120, "0.25", "0.5"])
    ledger = ledger_on(client)
    hold = await ledger.reserve(0.1, 0.00125, wanted=400, minimum=100)
    assert hold.tokens == 120 and hold.amount_usd == 0.25 and len(hold.lease) == 32
    script, keys_and_args = sent[0]
    assert script == RESERVE
    assert keys_and_args == (*KEYS, "1.0", "0.1", "0.00125", 400, 100, hold.lease, 150_000, "1e-09")
    assert ledger.local.reserved_usd == 0.25  # this handler's own share
    assert ledger.limit_usd == 1.0


async def test_a_refusal_is_budget_exceeded_with_what_every_worker_committed() -> None:
    client = double(RedisClientProtocol)
    scripted(client, [0, "0.95"])
    ledger = ledger_on(client)
    with pytest.raises(BudgetExceededError, match=r"\$0\.950000 already spent or reserved") as refused:
        await ledger.reserve(0.1, 0.001, wanted=100, minimum=50)
    assert refused.value.estimate_usd == pytest.approx(0.15)
    assert ledger.local.reserved_usd == 0.0


async def test_without_a_limit_the_limit_argument_is_empty() -> None:
    client = double(RedisClientProtocol)
    sent = scripted(client, [1, 10, "0.01", "0"])
    await ledger_on(client, limit=None).reserve(0.0, 0.001, wanted=10, minimum=10)
    assert sent[0][1][4] == ""


async def test_settling_charges_at_most_the_hold_once_and_clears_the_local_hold() -> None:
    client = double(RedisClientProtocol)
    sent = scripted(client, [1, 100, "0.2", "0"], 1)
    ledger = ledger_on(client)
    hold = await ledger.reserve(0.1, 0.001, wanted=100, minimum=1)
    await ledger.settle(hold, "openai", 5.0)  # a provider over-reporting: charged the hold, no more
    script, keys_and_args = sent[1]
    assert script == SETTLE
    assert keys_and_args == (*KEYS[:3], settled_key("team-a", hold.lease), hold.lease, "openai", "0.2", 1_500_000)
    assert ledger.local.spent_by_provider() == {"openai": 0.2} and ledger.local.reserved_usd == 0.0


async def test_a_failed_attempt_releases_its_hold_with_no_provider() -> None:
    client = double(RedisClientProtocol)
    sent = scripted(client, 1)
    await ledger_on(client).settle(Hold(10, 0.3, "lease-1"), None, 0.0)
    assert sent[0][1][4:7] == ("lease-1", "", "0.0")


async def test_a_settlement_redis_did_not_take_is_sent_before_the_next_reservation() -> None:
    client = double(RedisClientProtocol)
    down = redis_errors.ConnectionError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")
    sent = scripted(client, down, down, 1, [1, 5, "0.01", "0.2"])
    ledger = ledger_on(client)
    await ledger.settle(Hold(10, 0.3, "lease-1"), "openai", 0.2)  # kept: Redis is down
    with pytest.raises(BudgetStoreError, match="unreachable"):
        await ledger.reserve(0.01, 0.0, wanted=5, minimum=5)  # still down: fails closed, the settlement first
    await ledger.reserve(0.01, 0.0, wanted=5, minimum=5)
    assert [script for script, _ in sent] == [SETTLE, SETTLE, SETTLE, RESERVE]
    assert sent[2][1][4] == "lease-1"


@pytest.mark.parametrize(
    ("raised", "problem"),
    [
        (redis_errors.ConnectionError("Connection refused"), "is unreachable"),
        (ConnectionResetError(104, "Connection reset by peer"), "is unreachable"),
        (redis_errors.TimeoutError("Timeout reading from socket"), "timed out"),
        (redis_errors.ResponseError("WRONGTYPE Operation against a key holding the wrong kind of value"), "gave an invalid reply"),
        (redis_errors.AuthenticationError("invalid username-password pair"), "is unreachable"),
    ],
)
async def test_redis_errors_fail_closed_naming_the_ledger_without_its_password(raised: Exception, problem: str) -> None:
    client = double(RedisClientProtocol)
    scripted(client, raised)
    ledger = ledger_on(client)
    with pytest.raises(BudgetStoreError) as failed:
        await ledger.reserve(0.1, 0.0, wanted=0, minimum=0)
    assert failed.value.problem == problem
    text = str(failed.value)
    assert "redis://***@127.0.0.1:6390/0 (key 'team-a')" in text and "nothing was sent" in text
    assert PASSWORD not in text and PASSWORD not in repr(ledger) and PASSWORD not in repr(PLACE)


async def test_a_server_slower_than_the_timeout_fails_closed() -> None:
    client = double(RedisClientProtocol)

    async def stalls(script: str, numkeys: int, *keys_and_args: KeyT | EncodableT) -> object:
        await asyncio.sleep(30)
        return [1, 0, "0", "0"]

    mock_of(client.eval).side_effect(stalls)
    with pytest.raises(BudgetStoreError, match=r"timed out: no answer within 0\.05 s"):
        await ledger_on(client, timeout_s=0.05).reserve(0.1, 0.0, wanted=0, minimum=0)


@pytest.mark.parametrize(
    "reply",
    [
        "OK",
        [1, 5, "0.1"],
        [1, 5, "nan", "0"],
        [1, 5, "-0.1", "0"],
        [1, 5, 0.1, "0"],
        [1, 500, "0.1", "0"],  # more tokens than asked for
        [1, 1, "0.1", "0"],  # fewer than the minimum
        [1, True, "0.1", "0"],
        [0, "inf"],
        [2, "0"],
    ],
)
async def test_a_reservation_reply_of_the_wrong_shape_fails_closed(reply: object) -> None:
    client = double(RedisClientProtocol)
    scripted(client, reply)
    ledger = ledger_on(client)
    with pytest.raises(BudgetStoreError, match=r"gave an invalid reply") as failed:
        await ledger.reserve(0.1, 0.001, wanted=100, minimum=5)
    assert failed.value.problem == "gave an invalid reply"
    assert ledger.local.reserved_usd == 0.0


async def test_a_settlement_reply_of_the_wrong_shape_is_kept_for_later() -> None:
    client = double(RedisClientProtocol)
    sent = scripted(client, "what", 1, [1, 0, "0", "0"])
    ledger = ledger_on(client)
    await ledger.settle(Hold(0, 0.1, "lease-9"), "openai", 0.1)
    await ledger.reserve(0.0, 0.0, wanted=0, minimum=0)
    assert [script for script, _ in sent] == [SETTLE, SETTLE, RESERVE]


async def test_the_status_is_every_provider_s_spend_what_is_held_and_the_limit() -> None:
    client = double(RedisClientProtocol)
    sent = scripted(client, ["2.5", "0.25", "openai", "1.0", "anthropic", "0.75"], ["", "0"])
    ledger = ledger_on(client)
    status = await ledger.status()
    assert status == BudgetStatus(2.5, {"openai": 1.0, "anthropic": 0.75}, 0.25)
    assert status.spent_usd == 1.75 and status.remaining_usd == 0.5
    assert sent[0] == (STATUS, KEYS)
    empty = await ledger.status()
    assert empty.limit_usd is None and empty.remaining_usd is None and empty.spent_usd == 0


@pytest.mark.parametrize("reply", [["1"], ["1", "0", "openai"], [5, "0"], ["1", "0", "openai", "-1"], None])
async def test_a_status_reply_of_the_wrong_shape_fails_closed(reply: object) -> None:
    client = double(RedisClientProtocol)
    scripted(client, reply)
    with pytest.raises(BudgetStoreError, match="gave an invalid reply"):
        await ledger_on(client).status()


def test_each_event_loop_gets_its_own_client_and_closing_closes_the_current_one() -> None:
    clients: list[RedisClientProtocol] = []

    def connect(url: str, timeout: float) -> RedisClientProtocol:
        client = double(RedisClientProtocol)
        scripted(client, ["", "0"])
        mock_of(client.aclose).returns(None)
        clients.append(client)
        return client

    ledger = RedisLedger(PLACE, 1.0, connect, lease_s=10.0)

    async def use() -> None:
        await ledger.status()
        await ledger.aclose()

    asyncio.run(use())
    asyncio.run(use())
    assert len(clients) == 2
    for client in clients:
        mock_of(client.aclose).assert_awaited_once_with()


@pytest.mark.parametrize(
    ("url", "key", "says"),
    [
        ("http://127.0.0.1:6379", None, "must start with one of redis://"),
        ("redis://h:1/0\n", None, "must start with one of redis://"),
        ("redis://h:1/0", "", "budget key must be 1 to 100"),
        ("redis://h:1/0", "team a", "budget key must be 1 to 100"),
        ("redis://h:1/0", "x" * 101, "budget key must be 1 to 100"),
        (None, "team-a", "needs a budget URL"),
    ],
)
def test_a_bad_place_is_refused_naming_what_is_wrong_never_the_url(url: str | None, key: str | None, says: str) -> None:
    with pytest.raises(ValueError, match=says) as refused:
        budget_place(url, key, {})
    assert "h:1" not in str(refused.value)


def test_the_place_comes_from_the_arguments_else_the_environment() -> None:
    env = {"BYOK_BUDGET_URL": "redis://env:1/0", "BYOK_BUDGET_KEY": "from-env"}
    assert budget_place(None, None, {}) is None
    assert budget_place(None, None, env) == BudgetPlace("redis://env:1/0", "from-env")
    assert budget_place("redis://arg:2/0", None, env) == BudgetPlace("redis://arg:2/0", "from-env")
    assert budget_place("redis://arg:2/0", None, {}) == BudgetPlace("redis://arg:2/0", "default")
