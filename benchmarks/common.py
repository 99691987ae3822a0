"""Timing helpers: interleaved rounds and medians, so that a noisy shared machine hurts both sides alike."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def wall(command: Sequence[str], cwd: Path = ROOT) -> float:
    """Seconds one whole process takes, interpreter start included."""
    start = time.perf_counter()
    subprocess.run(list(command), cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def interleaved(contenders: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """The median of each contender's measurements, taken in alternating rounds."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, measure in contenders.items():
            samples[name].append(measure())
    return {name: statistics.median(values) for name, values in samples.items()}


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines
