"""Timing helpers: interleaved rounds and medians, so that a noisy shared machine hurts both sides alike."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

M = TypeVar("M")

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Commands run as a user's Python runs them: caching bytecode (a shell may turn that off for its own runs).
_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def wall(command: Sequence[str], cwd: Path = ROOT) -> float:
    """Seconds one whole process takes, interpreter start included."""
    start = time.perf_counter()
    subprocess.run(list(command), cwd=cwd, check=True, capture_output=True, env=_ENV)
    return time.perf_counter() - start


def interleaved(contenders: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """The median of each contender's measurements, taken in alternating rounds after one uncounted round
    that warms the bytecode and file caches for every contender alike."""
    for measure in contenders.values():
        measure()
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, measure in contenders.items():
            samples[name].append(measure())
    return {name: statistics.median(values) for name, values in samples.items()}


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def print_section(doc: str | None, measure: Callable[[int], M], section: Callable[[M], list[str]], rounds: int = 5) -> int:
    """A bench run alone: ``--rounds N`` (default ``rounds``), then its section of the report on stdout."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=rounds)
    print("\n".join(section(measure(parser.parse_args().rounds))))
    return 0
