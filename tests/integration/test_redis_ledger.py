"""The shared budget on a real redis-server: the scripts' arithmetic, leases, settling twice, two
handlers sharing one budget over the loopback providers, ``byok budget``, and failing closed when Redis is
unreachable, silent, or answers nonsense."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
import redis.asyncio

from byok.errors import BudgetExceededError, BudgetStoreError
from byok.ledger import BudgetPlace, BudgetStatus, Hold, open_ledger
from byok.ledger_scripts import budget_keys
from byok.redis_ledger import RedisLedger, connect
from byok.types import Message
from tests.integration.conftest import HandlerFactory
from tests.integration.test_cli_e2e import byok, clean_env
from tests.loopback import LoopbackServer, Reply
from tests.redis_server import RedisServer, free_port

HI: list[Message] = [{"role": "user", "content": "hi"}]


def ledger(redis_server: RedisServer, limit: float | None = 1.0, key: str = "team-a", lease_s: float = 60.0) -> RedisLedger:
    return RedisLedger(BudgetPlace(redis_server.url, key), limit, connect, lease_s=lease_s)


async def test_reserving_settling_and_the_status_on_a_real_server(redis_server: RedisServer) -> None:
    first, second = ledger(redis_server), ledger(redis_server)  # two workers, one budget
    a = await first.reserve(0.1, 0.001, wanted=200, minimum=10)
    b = await second.reserve(0.1, 0.001, wanted=1000, minimum=10)
    assert a.tokens == 200 and a.amount_usd == pytest.approx(0.3)
    assert b.tokens == 599 and b.amount_usd == pytest.approx(0.699)  # what the money left pays for
    with pytest.raises(BudgetExceededError, match=r"\$0\.999000 already spent or reserved"):
        await first.reserve(0.0, 0.001, wanted=10, minimum=10)
    await first.settle(a, "openai", 0.05)
    await second.settle(b, "anthropic", 9.0)  # over-reported: charged its hold, no more
    status = await first.status()
    assert status.limit_usd == 1.0 and status.reserved_usd == 0.0
    assert status.spent_by_provider == {"openai": pytest.approx(0.05), "anthropic": pytest.approx(0.699)}
    assert status.remaining_usd == pytest.approx(0.251)
    assert first.local.spent_by_provider() == {"openai": pytest.approx(0.05)}  # each worker's own share
    await first.aclose()
    await second.aclose()


async def test_settling_twice_charges_once_and_an_expired_lease_still_records_its_spend(redis_server: RedisServer) -> None:
    worker = ledger(redis_server, lease_s=0.2)
    hold = await worker.reserve(0.4, 0.0, wanted=0, minimum=0)
    await asyncio.sleep(0.3)  # the lease expires: its hold is released
    assert (await worker.status()).reserved_usd == 0.0
    await worker.settle(hold, "openai", 0.4)
    await worker.settle(hold, "openai", 0.4)
    assert (await worker.status()).spent_by_provider == {"openai": pytest.approx(0.4)}
    await worker.aclose()


async def test_budgets_under_different_keys_are_apart(redis_server: RedisServer) -> None:
    a, b = ledger(redis_server, key="team-a"), ledger(redis_server, key="team-b")
    await a.settle(await a.reserve(0.5, 0.0, wanted=0, minimum=0), "openai", 0.5)
    assert (await b.status()) == BudgetStatus(None, {}, 0.0)
    await a.aclose()
    await b.aclose()


async def test_two_handlers_share_one_budget_through_the_real_sdks(
    make_handler: HandlerFactory, server: LoopbackServer, redis_server: RedisServer
) -> None:
    server.script("openai", *[Reply(text="ok", usage=(1000, 1000))] * 20)
    one, two = (make_handler("openai", budget_usd=0.005, budget_url=redis_server.url, budget_key="shared") for _ in range(2))
    spent = 0
    with pytest.raises(BudgetExceededError):
        for turn in range(20):
            await (one if turn % 2 else two).generate_response(HI, max_tokens=1000)
            spent += 1
    status = await one.budget_status()
    assert status == await two.budget_status()
    assert status.spent_usd <= 0.005 and status.spent_usd == pytest.approx(one.total_cost_usd + two.total_cost_usd)
    assert spent == len(server.requests("openai")) and spent >= 10  # gpt-4.1-nano: about $0.0004 per request


async def test_an_unreachable_redis_fails_closed_and_nothing_reaches_a_provider(
    make_handler: HandlerFactory, server: LoopbackServer
) -> None:
    handler = make_handler("openai", budget_usd=1.0, budget_url=f"redis://:pw-secret@127.0.0.1:{free_port()}/0")
    with pytest.raises(BudgetStoreError, match=r"redis://\*\*\*@127\.0\.0\.1:\d+/0 \(key 'default'\) is unreachable") as failed:
        await handler.generate_response(HI)
    with pytest.raises(BudgetStoreError):
        async for _ in handler.stream_completion(HI):
            pass
    assert "pw-secret" not in str(failed.value) and "pw-secret" not in repr(handler.ledger)
    assert server.requests() == []


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


@pytest.fixture
def nonsense_port() -> Iterator[int]:
    """A port that answers every connection with bytes that are not the Redis protocol."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n<html>not redis</html>")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    done.set()
    thread.join()
    listener.close()


async def test_a_silent_redis_fails_closed_within_the_bound(silent_port: int) -> None:
    worker = RedisLedger(BudgetPlace(f"redis://127.0.0.1:{silent_port}/0"), 1.0, connect, lease_s=60.0, timeout_s=0.3)
    with pytest.raises(BudgetStoreError, match=r"timed out: no answer within 0\.3 s"):
        await asyncio.wait_for(worker.reserve(0.1, 0.0, wanted=0, minimum=0), 5)


async def test_a_server_answering_nonsense_fails_closed(nonsense_port: int) -> None:
    worker = RedisLedger(BudgetPlace(f"redis://127.0.0.1:{nonsense_port}/0"), 1.0, connect, lease_s=60.0, timeout_s=1.0)
    with pytest.raises(BudgetStoreError) as failed:
        await worker.reserve(0.1, 0.0, wanted=0, minimum=0)
    assert failed.value.problem in ("gave an invalid reply", "is unreachable")


async def test_a_budget_key_holding_the_wrong_kind_of_value_fails_closed(redis_server: RedisServer) -> None:
    client = redis.asyncio.Redis.from_url(redis_server.url)
    await client.set(budget_keys("team-a")[0], "not a hash")
    await client.aclose()
    worker = ledger(redis_server)
    with pytest.raises(BudgetStoreError, match=r"gave an invalid reply: .*WRONGTYPE"):
        await worker.reserve(0.1, 0.0, wanted=0, minimum=0)
    await worker.aclose()


def test_byok_budget_shows_what_every_worker_spent(redis_server: RedisServer, server: LoopbackServer) -> None:
    env = clean_env(OPENAI_API_KEY="sk-e2e-0123456789abcdef", OPENAI_BASE_URL=server.base_url("openai"), BYOK_BUDGET_KEY="cli")
    server.script("openai", Reply(text="one", usage=(3, 10)), Reply(text="two", usage=(3, 10)))
    for _ in range(2):
        chat = byok("chat", "hello", "--budget-usd", "0.5", "--budget-url", redis_server.url, env=env)
        assert chat.returncode == 0, chat.stderr
    shown = byok("budget", env={**env, "BYOK_BUDGET_URL": redis_server.url})
    assert shown.returncode == 0, shown.stderr
    # two requests of 3 input and 10 output tokens at gpt-4.1-nano's $0.1 and $0.4 per million
    assert shown.stdout.splitlines() == [
        "limit        $0.500000",
        "spent        $0.000009",
        "  openai     $0.000009",
        "held         $0.000000 (attempts in flight)",
        "remaining    $0.499991",
    ]


def test_byok_budget_without_a_url_and_chat_with_redis_down(server: LoopbackServer) -> None:
    env = clean_env(OPENAI_API_KEY="sk-e2e-0123456789abcdef", OPENAI_BASE_URL=server.base_url("openai"))
    no_url = byok("budget", env=env)
    assert no_url.returncode == 2 and "give --budget-url or set BYOK_BUDGET_URL" in no_url.stderr
    down = byok("chat", "hello", "--budget-url", f"redis://:s3cret-pw@127.0.0.1:{free_port()}/0", env=env)
    assert down.returncode == 6, down.stderr
    assert down.stderr.startswith("byok: error: the budget ledger at redis://***@127.0.0.1:") and down.stderr.count("\n") == 1
    assert "s3cret-pw" not in down.stdout + down.stderr
    assert server.requests() == []


def test_without_the_redis_client_a_budget_url_is_a_clear_error() -> None:
    code = "import sys; sys.modules['redis'] = None\nfrom byok.ledger import open_ledger, budget_place\n"
    code += "open_ledger(1.0, budget_place('redis://127.0.0.1:1/0', None), lease_s=1.0)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and "pip install 'byok-contracts[redis]'" in done.stderr, done.stderr


async def test_the_in_process_ledger_is_the_default(make_handler: HandlerFactory) -> None:
    handler = make_handler("openai", budget_usd=1.0)
    assert type(handler.ledger).__name__ == "LocalLedger"
    assert open_ledger(None, None, lease_s=1.0).limit_usd is None
    assert await handler.budget_status() == BudgetStatus(1.0, {}, 0.0)
    assert isinstance(await handler.ledger.reserve(0.0, 0.0, wanted=0, minimum=0), Hold)
