"""The handler's per-call cost with the shared Redis ledger against the in-process one, in one run: the
same handler settings and requests, one loopback server in its own process, one real redis-server on
loopback (append-only file written before every answer, as the README advises). The Redis round trips
per call are counted by the server itself (INFO commandstats).

    python benchmarks/bench_ledger.py [--rounds N]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis.asyncio

from benchmarks.bench_wire import loopback_process
from benchmarks.common import print_section, table
from byok import BYOKHandler, Message
from tests.redis_server import RedisServer

MESSAGES: list[Message] = [{"role": "user", "content": "ping"}]
CALLS = 100


async def _per_call_ms(handler: BYOKHandler, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        await handler.generate_response(MESSAGES, max_tokens=16)
    return (time.perf_counter() - start) * 1000 / calls


async def _evals(url: str) -> int:
    client = redis.asyncio.Redis.from_url(url, decode_responses=True)
    try:
        stats = await client.info("commandstats")
    finally:
        await client.aclose()
    entry = stats.get("cmdstat_eval", {})
    return int(entry.get("calls", 0)) if isinstance(entry, dict) else 0


LEDGERS = ("in-process", "Redis, appendfsync always", "Redis, appendfsync everysec")


async def _measure(port: int, always: str, everysec: str, rounds: int, calls: int) -> dict[str, float]:
    keys, urls = {"openai": "sk-bench-0123456789abcdef"}, {"openai": f"http://127.0.0.1:{port}/openai/v1"}
    handlers = [
        BYOKHandler(api_keys=keys, base_urls=urls, budget_usd=1e6),
        BYOKHandler(api_keys=keys, base_urls=urls, budget_usd=1e6, budget_url=always, budget_key="bench"),
        BYOKHandler(api_keys=keys, base_urls=urls, budget_usd=1e6, budget_url=everysec, budget_key="bench"),
    ]
    samples: dict[str, list[float]] = {name: [] for name in LEDGERS}
    for handler in handlers:
        await _per_call_ms(handler, 5)  # warm each: clients built, connections open, the scripts cached
    evals_before = await _evals(always)
    for _ in range(rounds):
        for name, handler in zip(LEDGERS, handlers, strict=True):
            samples[name].append(await _per_call_ms(handler, calls))
    trips = (await _evals(always) - evals_before) / (rounds * calls)
    for handler in handlers:
        await handler.aclose()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    return {**medians, "round trips per call": trips}


def measure(rounds: int, calls: int = CALLS) -> dict[str, float]:
    with (
        tempfile.TemporaryDirectory() as folder,
        loopback_process() as port,
        RedisServer(Path(folder) / "always") as always,
        RedisServer(Path(folder) / "everysec", fsync="everysec") as everysec,
    ):
        return asyncio.run(_measure(port, always.url, everysec.url, rounds, calls))


def section(result: dict[str, float]) -> list[str]:
    local = result["in-process"]
    rows = [(name, f"{result[name]:.2f}", f"{result[name] - local:+.2f}", f"{result[name] / local:.2f}x") for name in LEDGERS]
    return [
        "## The shared budget: the handler with the Redis ledger against the in-process one",
        "",
        *table(["ledger", "ms per call (loopback provider)", "overhead ms", "ratio"], rows),
        "",
        f"Redis round trips per call: {result['round trips per call']:.1f} (one script to reserve, one to settle).",
        "",
    ]


if __name__ == "__main__":
    sys.exit(print_section(__doc__, measure, section))
