"""Test doubles built and called in process: protodoubles' double() next to decoy, create_autospec and
MagicMock, on a small protocol, the handler's protocol and the root of the OpenAI client family.

    python benchmarks/bench_doubles.py [--rounds N]

Three measures, each a ratio against a reference measured in the same run, in interleaved rounds (medians);
nothing here is asserted:

1. building one double of each protocol: double() against decoy;
2. building a double of the OpenAI family's root and reading ``.chat.completions.create`` on it for the first
   time, which builds the child doubles: double() against the same attribute path on a decoy mock;
3. awaiting a configured coroutine method, per call: a double's method configured with
   ``mock_of(...).returns(x)`` against ``AsyncMock(return_value=x)``, both called with the same argument;
4. the same for an SDK call with a message list (``chat.completions.create`` on a deep double), where every
   argument is checked against the SDK's types.

One measurement repeats its operation enough times to take about BUDGET_S, after a garbage collection, so
that the reference cycles one contender leaves behind are not collected on another's clock. A first,
uncounted operation fills whatever caches a contender keeps, as the first double of a test session does.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from unittest.mock import AsyncMock, MagicMock, create_autospec

from decoy import Decoy
from openai.types.chat import ChatCompletionMessageParam
from protodoubles import double, mock_of
from protodoubles.builders.openai import chat_completion
from typing_extensions import get_protocol_members

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import interleaved, print_section, table
from byok.handler import BYOKHandler
from contracts.byok_protocol import BYOKProtocol
from contracts.openai_client_protocol import OpenAIClientProtocol

Operation = Callable[[], object]

BUDGET_S = 0.1  # about how long one measurement of one contender takes
KEY = "user:1"
VALUE = 42
DECOY, DOUBLE = "Decoy().mock(cls=P)", "double(P)"  # the reference and the subject of measures 1 and 2

# Issue 17: what double() should cost next to decoy, and a configured call next to a bare AsyncMock.
TARGETS = {
    "double() creation vs decoy": "<= 1.0x",
    "double() + first .chat.completions.create vs decoy": "<= 1.0x",
    "configured coroutine call on a double vs AsyncMock": "<= 2.0x",
    "SDK create call on a double vs AsyncMock": "reported (no target: each argument is checked against the SDK's types)",
}


class Store(Protocol):
    """The small protocol: one method of each kind a double tells apart (sync, coroutine, stream)."""

    def get(self, key: str) -> int: ...
    async def fetch(self, key: str) -> int: ...
    def watch(self, key: str) -> AsyncIterator[int]: ...


@dataclass(frozen=True)
class Measured:
    """The medians of one measure: seconds per operation of each contender."""

    title: str
    label: str  # what the headline names the ratio by
    unit: str
    reference: str
    subject: str
    target: str  # a key of TARGETS
    seconds: dict[str, float]

    @property
    def ratio(self) -> float:
        return self.seconds[self.subject] / self.seconds[self.reference]


def _repeated(operation: Operation) -> Callable[[int], float]:
    def run(number: int) -> float:
        start = time.perf_counter()
        for _ in range(number):
            operation()
        return (time.perf_counter() - start) / number

    return run


async def _awaited(method: Callable[[str], Awaitable[object]], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        await method(KEY)
    return (time.perf_counter() - start) / number


def _awaits(method: Callable[[str], Awaitable[object]]) -> Callable[[int], float]:
    return lambda number: asyncio.run(_awaited(method, number))


def _calibrated(run: Callable[[int], float]) -> Callable[[], float]:
    """A measurement of ``run``: seconds per operation over as many operations as take about BUDGET_S."""
    run(1)  # uncounted: fills the contender's caches
    number = 1
    while (per_operation := run(number)) * number < BUDGET_S / 10:
        number *= 10
    number = max(1, round(BUDGET_S / per_operation))

    def measure() -> float:
        gc.collect()
        return run(number)

    return measure


def _medians(operations: dict[str, Operation], rounds: int) -> dict[str, float]:
    return interleaved({name: _calibrated(_repeated(operation)) for name, operation in operations.items()}, rounds)


def _creation(proto: type[object], rounds: int, *others: tuple[str, Operation]) -> Measured:
    operations: dict[str, Operation] = {
        "MagicMock()": MagicMock,
        DECOY: lambda: Decoy().mock(cls=proto),
        "create_autospec(P, instance=True)": lambda: create_autospec(proto, instance=True),
        **dict(others),
        DOUBLE: lambda: double(proto),
    }
    title = f"one double of P = {proto.__name__} ({len(get_protocol_members(proto))} members)"
    return Measured(title, proto.__name__, "µs per double", DECOY, DOUBLE, "double() creation vs decoy", _medians(operations, rounds))


def measure(rounds: int = 5) -> list[Measured]:
    """Every measure above, each contender's median seconds per operation."""
    handler = ("create_autospec(BYOKHandler, instance=True)", lambda: create_autospec(BYOKHandler, instance=True))
    results = [_creation(Store, rounds), _creation(BYOKProtocol, rounds, handler), _creation(OpenAIClientProtocol, rounds)]
    path: dict[str, Operation] = {
        "MagicMock()": lambda: MagicMock().chat.completions.create,
        DECOY: lambda: Decoy().mock(cls=OpenAIClientProtocol).chat.completions.create,
        DOUBLE: lambda: double(OpenAIClientProtocol).chat.completions.create,
    }
    results.append(
        Measured(
            "one double of P = OpenAIClientProtocol, then the first read of .chat.completions.create",
            "OpenAIClientProtocol",
            "µs per double and read",
            DECOY,
            DOUBLE,
            "double() + first .chat.completions.create vs decoy",
            _medians(path, rounds),
        )
    )
    reference = AsyncMock(return_value=VALUE)
    store = double(Store)
    mock_of(store.fetch).returns(VALUE)
    calls = {
        "await AsyncMock(return_value=x)(key)": _calibrated(_awaits(reference)),
        "await d.fetch(key), after mock_of(d.fetch).returns(x)": _calibrated(_awaits(store.fetch)),
    }
    results.append(
        Measured(
            "a configured coroutine method, awaited (d = double(Store))",
            "Store.fetch",
            "µs per call",
            "await AsyncMock(return_value=x)(key)",
            "await d.fetch(key), after mock_of(d.fetch).returns(x)",
            "configured coroutine call on a double vs AsyncMock",
            interleaved(calls, rounds),
        )
    )
    results.append(_sdk_call(rounds))
    return results


def _sdk_call(rounds: int) -> Measured:
    """An SDK ``create`` with a message list on a deep double, every argument checked against the SDK's types,
    against an AsyncMock returning the same completion."""
    completion = chat_completion("hi")
    client = double(OpenAIClientProtocol)
    mock_of(client.chat.completions.create).returns(completion)
    plain = AsyncMock(return_value=completion)
    messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hi"}]

    def calling(create: Callable[..., Awaitable[object]]) -> Callable[[int], float]:
        async def run(number: int) -> float:
            start = time.perf_counter()
            for _ in range(number):
                await create(model="gpt-4o-mini", messages=messages, temperature=0.2, max_tokens=64)
            return (time.perf_counter() - start) / number

        return lambda number: asyncio.run(run(number))

    reference, subject = "await AsyncMock(return_value=c)(...)", "await client.chat.completions.create(...) on a double"
    calls = {reference: _calibrated(calling(plain)), subject: _calibrated(calling(client.chat.completions.create))}
    title = "an SDK call, awaited: create(model=..., messages=[...], temperature=..., max_tokens=...), each argument checked"
    return Measured(
        title,
        "chat.completions.create",
        "µs per call",
        reference,
        subject,
        "SDK create call on a double vs AsyncMock",
        interleaved(calls, rounds),
    )


def headline(results: list[Measured]) -> list[tuple[str, str]]:
    """One row per target: the measured ratio (for creation, one per protocol)."""
    return [(target, ", ".join(f"{r.label} {r.ratio:.2f}x" for r in results if r.target == target)) for target in TARGETS]


def section(results: list[Measured]) -> list[str]:
    """The RESULTS.md section: the targets, then each measure's contenders."""
    lines = [
        "## Test doubles: double() against decoy, create_autospec and MagicMock (in process)",
        "",
        *table(["measure", "result", "target (issue 17)"], [(name, value, TARGETS[name]) for name, value in headline(results)]),
        "",
    ]
    for result in results:
        reference = result.seconds[result.reference]
        rows = [(name, f"{seconds * 1e6:,.1f}", f"{seconds / reference:.2f}x") for name, seconds in result.seconds.items()]
        lines += [f"**{result.title}**", "", *table(["contender", result.unit, f"vs {result.reference}"], rows), ""]
    return lines


def main() -> int:
    return print_section(__doc__, measure, section)


if __name__ == "__main__":
    sys.exit(main())
