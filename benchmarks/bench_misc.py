"""Import times and the mypy gate, cold and warm."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import partial

from benchmarks.common import PYTHON, interleaved, wall

MODULES = ("byok", "contracts.byok_protocol", "protodoubles._internal.doubles.double", "openai", "anthropic", "litellm")


def import_times(rounds: int = 7) -> dict[str, float]:
    """Seconds each import adds to a bare interpreter start (whole-process medians, interleaved)."""
    contenders: dict[str, Callable[[], float]] = {"(bare interpreter)": partial(wall, [PYTHON, "-c", "pass"])}
    for module in MODULES:
        contenders[module] = partial(wall, [PYTHON, "-c", f"import {module}"])
    times = interleaved(contenders, rounds)
    bare = times.pop("(bare interpreter)")
    return {module: seconds - bare for module, seconds in times.items()}


def mypy_gate() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as cache:
        command = [PYTHON, "-m", "mypy", "tests/", "--cache-dir", cache]
        cold = wall(command)
        warm = min(wall(command) for _ in range(3))
    return {"cold": cold, "warm": warm}
