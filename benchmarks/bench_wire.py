"""The handler against the raw openai SDK and LiteLLM, against the same loopback server, in one run."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import openai

from byok import BYOKHandler, Message
from tests.loopback import LoopbackServer, Reply

KEY = "sk-bench-0123456789abcdef"
MESSAGES: list[Message] = [{"role": "user", "content": "ping"}]
MODEL = "gpt-4o-mini"
Call = Callable[[], Awaitable[object]]


async def _per_call_ms(call: Call, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        await call()
    return (time.perf_counter() - start) / count * 1000


async def _interleave(contenders: dict[str, Call], rounds: int, count: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for call in contenders.values():
        await _per_call_ms(call, 20)  # warm connections and caches
    for _ in range(rounds):
        for name, call in contenders.items():
            samples[name].append(await _per_call_ms(call, count))
    return {name: statistics.median(values) for name, values in samples.items()}


def _litellm() -> Any | None:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no network fetch at import
    try:
        import litellm
    except ImportError:
        return None
    litellm.suppress_debug_info = True
    return litellm


async def run(rounds: int = 5, count: int = 100) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    with LoopbackServer() as server:
        base = server.base_url("openai")
        raw = openai.AsyncOpenAI(api_key=KEY, base_url=base, max_retries=0)
        handler = BYOKHandler(api_keys={"openai": KEY, "deepseek": KEY}, base_urls={"openai": base, "deepseek": server.base_url("deepseek")})
        litellm = _litellm()

        async def raw_call() -> object:
            return await raw.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "ping"}])

        async def handler_call() -> object:
            return await handler.generate_response(MESSAGES, model=MODEL)

        async def litellm_call() -> object:
            assert litellm is not None
            return await litellm.acompletion(model=f"openai/{MODEL}", api_base=base, api_key=KEY, messages=MESSAGES)

        calls: dict[str, Call] = {"raw openai SDK": raw_call, "BYOKHandler": handler_call}
        if litellm is not None:
            calls["LiteLLM"] = litellm_call
        results["per-call ms"] = await _interleave(calls, rounds, count)

        async def raw_ttft() -> float:
            start = time.perf_counter()
            first = 0.0
            stream = await raw.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "ping"}], stream=True)
            async for chunk in stream:  # read to the end, so that the SDK's stream closes cleanly
                if not first and chunk.choices and chunk.choices[0].delta.content:
                    first = time.perf_counter() - start
            return first * 1000

        async def handler_ttft() -> float:
            start = time.perf_counter()
            first = 0.0
            async for chunk in handler.stream_completion(MESSAGES, model=MODEL):
                if not first and chunk.text:
                    first = time.perf_counter() - start
            return first * 1000

        ttft: dict[str, list[float]] = {"raw openai SDK": [], "BYOKHandler": []}
        for _ in range(rounds):
            for name, measure in (("raw openai SDK", raw_ttft), ("BYOKHandler", handler_ttft)):
                ttft[name].append(statistics.median([await measure() for _ in range(count // 2)]))
        results["time to first token ms"] = {name: statistics.median(v) for name, v in ttft.items()}

        async def burst(call: Call) -> float:
            start = time.perf_counter()
            await asyncio.gather(*(call() for _ in range(50)))
            return 50 / (time.perf_counter() - start)

        throughput: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(rounds):
            for name, call in calls.items():
                throughput[name].append(await burst(call))
        results["requests/s at 50 concurrent"] = {name: statistics.median(v) for name, v in throughput.items()}

        async def failing_then_good() -> object:
            server.script("openai", Reply(status=503))
            return await handler.generate_response(MESSAGES, provider_id="openai")

        async def raw_failing() -> object:
            server.script("openai", Reply(status=503))
            try:
                await raw_call()
            except openai.APIStatusError:
                pass
            return None

        failover = await _interleave({"failover": failing_then_good, "raw 503": raw_failing, "good": handler_call}, rounds, count // 4)
        handler.health.record_success("openai")  # the failover rounds demote openai; leave it healthy
        failover["overhead over one 503 and one good call"] = failover["failover"] - failover["raw 503"] - failover["good"]
        results["failover ms"] = failover
        await handler.aclose()
        await raw.close()
    return results
