"""The handler against the raw openai SDK and LiteLLM, against one loopback server running in its own
process: the numbers are the client's own CPU time and the wall time, per call, in interleaved rounds.

A server in the benchmark's own process would share its interpreter and GIL: the server's Python work
would land in both the handler's and the reference's numbers and shrink the ratio between them.

Every contender sends the same request the handler sends (temperature, the output cap, and for streams
the usage option the handler needs for its budget), so that the difference is the handler's own work.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import openai

from benchmarks.common import ROOT
from byok import BYOKHandler, Message

KEY = "sk-bench-0123456789abcdef"
MESSAGES: list[Message] = [{"role": "user", "content": "ping"}]
MODEL = "gpt-4o-mini"
SAME = {"temperature": 0.7, "max_tokens": 4096}  # what the handler sends for MESSAGES without max_tokens
Call = Callable[[], Awaitable[object]]


@contextmanager
def loopback_process() -> Iterator[int]:
    """A loopback server in a child process; yields its port. It stops when its stdin closes."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.loopback", "--max-s", "1800"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        yield int(child.stdout.readline())
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)


async def _measure(call: Call, count: int) -> tuple[float, float]:
    """(client CPU µs, wall ms) per call, over ``count`` calls."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        await call()
    return (time.process_time() - cpu) / count * 1e6, (time.perf_counter() - wall) / count * 1000


async def _interleave(contenders: dict[str, Call], rounds: int, count: int) -> tuple[dict[str, float], dict[str, float]]:
    cpu: dict[str, list[float]] = {name: [] for name in contenders}
    wall: dict[str, list[float]] = {name: [] for name in contenders}
    for call in contenders.values():
        await _measure(call, 20)  # warm connections and caches
    for _ in range(rounds):
        for name, call in contenders.items():
            used, took = await _measure(call, count)
            cpu[name].append(used)
            wall[name].append(took)
    return {n: statistics.median(v) for n, v in cpu.items()}, {n: statistics.median(v) for n, v in wall.items()}


def _litellm() -> Any | None:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no network fetch at import
    try:
        import litellm
    except ImportError:
        return None
    litellm.suppress_debug_info = True
    return litellm


async def _first_text_ms(chunks: AsyncIterator[Any], has_text: Callable[[Any], bool], start: float) -> float:
    """Read a stream to its end (so that it closes cleanly); the time its first text arrived."""
    first = 0.0
    async for chunk in chunks:
        if not first and has_text(chunk):
            first = time.perf_counter() - start
    return first * 1000


def _dead_port() -> int:
    with socket.socket() as probe:  # free a moment ago, nobody listening now
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def run(rounds: int = 5, count: int = 100) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    with loopback_process() as port:
        base = f"http://127.0.0.1:{port}/openai/v1"
        raw = openai.AsyncOpenAI(api_key=KEY, base_url=base, max_retries=0)
        handler = BYOKHandler(api_keys={"openai": KEY, "deepseek": KEY}, base_urls={"openai": base, "deepseek": base})
        litellm = _litellm()

        async def raw_call() -> object:
            return await raw.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "ping"}], temperature=0.7, max_tokens=4096
            )

        async def handler_call() -> object:
            return await handler.generate_response(MESSAGES, model=MODEL)

        async def litellm_call() -> object:
            assert litellm is not None
            return await litellm.acompletion(model=f"openai/{MODEL}", api_base=base, api_key=KEY, messages=MESSAGES, **SAME)

        calls: dict[str, Call] = {"raw openai SDK": raw_call, "BYOKHandler": handler_call}
        if litellm is not None:
            calls["LiteLLM"] = litellm_call
        cpu, wall = await _interleave(calls, rounds, count)
        results["client CPU µs per call"] = cpu
        results["wall ms per call"] = wall
        results["per-call ms"] = wall  # the older headline name, kept for run.py

        async def raw_stream() -> float:
            start = time.perf_counter()
            stream = await raw.chat.completions.create(
                model=MODEL,
                messages=[{"role": "user", "content": "ping"}],
                temperature=0.7,
                max_tokens=4096,
                stream=True,
                stream_options={"include_usage": True},
            )
            return await _first_text_ms(stream, lambda c: bool(c.choices and c.choices[0].delta.content), start)

        async def handler_stream() -> float:
            start = time.perf_counter()
            return await _first_text_ms(handler.stream_completion(MESSAGES, model=MODEL), lambda c: bool(c.text), start)

        streams = {"raw openai SDK": raw_stream, "BYOKHandler": handler_stream}
        ttft: dict[str, list[float]] = {name: [] for name in streams}
        stream_cpu: dict[str, list[float]] = {name: [] for name in streams}
        for _ in range(rounds):
            for name, measure in streams.items():
                before = time.process_time()
                ttft[name].append(statistics.median([await measure() for _ in range(count // 2)]))
                stream_cpu[name].append((time.process_time() - before) / (count // 2) * 1e6)
        results["time to first token ms"] = {name: statistics.median(v) for name, v in ttft.items()}
        results["client CPU µs per stream"] = {name: statistics.median(v) for name, v in stream_cpu.items()}

        async def burst(call: Call) -> float:
            start = time.perf_counter()
            await asyncio.gather(*(call() for _ in range(50)))
            return 50 / (time.perf_counter() - start)

        throughput: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(rounds):
            for name, call in calls.items():
                throughput[name].append(await burst(call))
        results["requests/s at 50 concurrent"] = {name: statistics.median(v) for name, v in throughput.items()}

        dead = f"http://127.0.0.1:{_dead_port()}/v1"
        failing = BYOKHandler(
            api_keys={"openai": KEY, "deepseek": KEY}, base_urls={"openai": dead, "deepseek": base}, failure_threshold=10**9
        )
        refused = openai.AsyncOpenAI(api_key=KEY, base_url=dead, max_retries=0)

        async def failing_then_good() -> object:
            return await failing.generate_response(MESSAGES, provider_id="openai")

        async def raw_refused() -> object:
            with suppress(openai.APIConnectionError):
                await refused.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "ping"}])
            return None

        _, failover = await _interleave(
            {"failover": failing_then_good, "raw refused": raw_refused, "good": handler_call}, rounds, count // 4
        )
        failover["overhead over one refused and one good call"] = failover["failover"] - failover["raw refused"] - failover["good"]
        failover["overhead over one 503 and one good call"] = failover["overhead over one refused and one good call"]  # run.py's key
        results["failover ms"] = failover
        for closing in (handler, failing):
            await closing.aclose()
        await raw.close()
        await refused.close()
    return results


if __name__ == "__main__":
    for section, values in asyncio.run(run(3, 60)).items():
        print(section, {k: round(v, 2) for k, v in values.items()})
