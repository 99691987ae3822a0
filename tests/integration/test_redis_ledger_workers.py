"""One budget across processes, on a real redis-server: four workers of 50 concurrent requests each, a
provider that over-reports usage, one that is slow; Redis stopped and restarted mid-run; a worker killed
while it holds reservations.

What reached the providers is judged from the loopback server's own records, not from the ledger: each
request is billed what its provider reported, and never more than the most it could bill (a token per
UTF-8 byte of its input with the chat markup, and the output cap it was sent)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from byok.catalog import ModelCatalog
from byok.errors import BudgetStoreError
from byok.ledger import BudgetPlace, BudgetStatus
from byok.providers import PROVIDERS
from byok.redis_ledger import RedisLedger, connect
from byok.routing import bound_message_tokens
from byok.types import Message
from tests.integration.conftest import HandlerFactory
from tests.integration.ledger_worker import WorkerConfig
from tests.loopback import LoopbackServer, Recorded, Reply
from tests.redis_server import RedisServer

PROVIDERS_USED = ("openai", "anthropic", "deepseek")
HONEST, INFLATED = (2_100, 500), (10_000_000, 10_000_000)
PROMPT = "Summarize the trade-offs of the following notes. " + "x" * 1_950


def billed(request: Recorded, reported: tuple[int, int]) -> float:
    """What the provider of ``request`` may bill: what it reported, at most what the request could cost."""
    info = ModelCatalog.default().get(request.body["model"])
    assert info is not None
    messages: list[Message] = request.body["messages"]
    cap = request.body.get("max_tokens") or request.body["max_completion_tokens"]
    return info.cost_usd(min(reported[0], bound_message_tokens(messages)), min(reported[1], cap))


def reached(server: LoopbackServer) -> float:
    """The total billed by every provider, judged from the server's records."""
    usage = {"openai": HONEST, "anthropic": INFLATED, "deepseek": HONEST}
    return sum(billed(request, usage[request.prefix]) for request in server.requests())


def script_providers(server: LoopbackServer, count: int, slow_s: float = 0.5) -> None:
    server.script("openai", *[Reply(text="fine", usage=HONEST)] * count)
    server.script("anthropic", *[Reply(text="fine", usage=INFLATED)] * count)  # claims far more than it could bill
    server.script("deepseek", *[Reply(text="fine", usage=HONEST, delay_s=slow_s)] * count)


def worker(
    server: LoopbackServer,
    redis_server: RedisServer,
    budget_usd: float,
    requests: int,
    timeout_s: float = 10.0,
    lease_grace_s: float | None = None,
) -> subprocess.Popen[str]:
    config: WorkerConfig = {
        "base_urls": {p: server.base_url(p, PROVIDERS[p].wire) for p in PROVIDERS_USED},
        "budget_url": redis_server.url,
        "budget_key": "many",
        "budget_usd": budget_usd,
        "requests": requests,
        "prompt": PROMPT,
        "max_tokens": 500,
        "timeout_s": timeout_s,
    }
    if lease_grace_s is not None:
        config["lease_grace_s"] = lease_grace_s
    command = [sys.executable, "-m", "tests.integration.ledger_worker", json.dumps(config)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def outcome(process: subprocess.Popen[str]) -> dict[str, int]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err[-2000:]
    ended: dict[str, int] = json.loads(out)
    return ended


def test_four_processes_of_fifty_requests_stay_within_one_budget(server: LoopbackServer, redis_server: RedisServer) -> None:
    budget = 0.1
    script_providers(server, 4 * 50)
    workers = [worker(server, redis_server, budget, 50) for _ in range(4)]
    ended = [outcome(process) for process in workers]
    # Every request ended as a reply or a refusal (a reservation that waited past the ledger's timeout on a
    # loaded machine is refused too: the ledger fails closed), and nothing else.
    total = {kind: sum(e.get(kind, 0) for e in ended) for kind in ("ok", "over budget", "ledger timed out")}
    assert sum(total.values()) == 200, ended
    assert total["ok"] == len(server.requests())
    spent = reached(server)
    assert spent <= budget, spent
    assert spent >= budget / 2, (spent, total)  # the ledger does not win by refusing everything
    assert total["over budget"] > 0  # the budget was the bound: 200 requests would cost about three times it


async def test_redis_stopped_mid_run_fails_closed_and_a_restart_keeps_what_was_spent(
    make_handler: HandlerFactory, server: LoopbackServer, redis_server: RedisServer
) -> None:
    script_providers(server, 20, slow_s=1.0)
    handler = make_handler(*PROVIDERS_USED, budget_usd=1.0, budget_url=redis_server.url, budget_key="restart")
    message: list[Message] = [{"role": "user", "content": PROMPT}]
    await handler.generate_response(message, provider_id="openai", max_tokens=500)
    before = (await handler.budget_status()).spent_usd
    assert before > 0
    # A slow request is in flight when Redis goes down: it completes, and its settlement is kept.
    in_flight = asyncio.create_task(handler.generate_response(message, provider_id="deepseek", max_tokens=500))
    while not server.requests("deepseek"):
        await asyncio.sleep(0.02)
    redis_server.stop()
    await in_flight
    sent = len(server.requests())
    for provider_id in PROVIDERS_USED:
        with pytest.raises(BudgetStoreError, match="is unreachable"):
            await handler.generate_response(message, provider_id=provider_id, max_tokens=500)
    assert len(server.requests()) == sent  # nothing reached a provider while the ledger was down
    redis_server.start()
    await handler.generate_response(message, provider_id="openai", max_tokens=500)  # sends the kept settlement first
    after = await handler.budget_status()
    assert after.reserved_usd == 0.0
    assert after.spent_usd == pytest.approx(reached(server))  # every request that reached a provider is on the ledger
    assert after.spent_usd == pytest.approx(handler.total_cost_usd)


def test_a_worker_killed_holding_reservations_holds_nothing_once_its_leases_expire(
    server: LoopbackServer, redis_server: RedisServer
) -> None:
    for provider_id in PROVIDERS_USED:
        server.script(provider_id, *[Reply(text="late", usage=HONEST, delay_s=60)] * 2)
    # leases of 20.5 s: the worker's timeout of 20 s (far beyond its start on a loaded machine) and a grace of 0.5 s
    process = worker(server, redis_server, 1.0, 5, timeout_s=20.0, lease_grace_s=0.5)
    deadline = time.monotonic() + 120  # the worker starts slowly on a loaded machine
    while len(server.requests()) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.kill()  # every request is at a provider: the worker dies holding five leases
    said = process.communicate(timeout=30)
    held = asyncio.run(_status_when(redis_server, lambda status: True))
    assert len(server.requests()) == 5 and held.reserved_usd > 0, said
    expired = asyncio.run(_status_when(redis_server, lambda status: status.reserved_usd == 0, within_s=40))
    assert expired.reserved_usd == 0.0
    assert expired.spent_usd == held.spent_usd == 0.0  # a lease that expires releases its hold; it charges nothing


async def _status_when(redis_server: RedisServer, wanted: Callable[[BudgetStatus], bool], within_s: float = 0) -> BudgetStatus:
    """The budget "many" as soon as ``wanted`` holds, or when ``within_s`` has passed."""
    reader = RedisLedger(BudgetPlace(redis_server.url, "many"), None, connect, lease_s=1.0)
    deadline = time.monotonic() + within_s
    try:
        while True:
            status = await reader.status()
            if wanted(status) or time.monotonic() > deadline:
                return status
            await asyncio.sleep(0.05)
    finally:
        await reader.aclose()
