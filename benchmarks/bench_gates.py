"""`make gates`, the whole static gate (gen_protocol --check, ruff three times, annotate-fixtures --check, mypy
over tests/ and over the project, ty), on a copy of the project in a temporary folder, so that the changes and
the caches touch nothing here.

- cold: `make gates GATES_DAEMON=0` (the path CI takes: plain mypy, ty over everything) with no cache or record;
- the warm path's first run: `make gates` starts mypy's daemon (dmypy) and records ty's clean run;
- warm after a one-file change in tests/ (a test appended to tests/unit/test_parts.py before each run):
  `make gates` (the warm path), and, in the same rounds, `make gates GATES_DAEMON=0` (mypy on its cache);
- each gate alone on the warm path after the same change, and ty over everything (what CI runs; ty keeps
  no cache, so every run of it is cold), next to tools/ty_gate.py.

Wall time depends on what else the machine runs: with each figure goes the number of cores the machine's
other processes kept busy meanwhile (from /proc/stat), and the load average. CPU time (user and system, of
every process the gate starts and of the mypy daemon while it checks) depends on it much less. Medians of
interleaved rounds.

    python benchmarks/bench_gates.py [--rounds N]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, print_section, table

COPIED = ("byok", "contracts", "tests", "tools", "benchmarks", "packages", "pyproject.toml", "mypy.ini", "Makefile", ".gitignore")
SKIPPED = ("__pycache__", ".mypy_cache", ".protodoubles_cache", ".gates_cache", ".pytest_cache", "*.egg-info")
CHANGED = Path("tests/unit/test_parts.py")
MAKE = ["make", "--no-print-directory", "--old-file=.venv/.installed"]  # never reinstalls into the shared .venv
STEPS = ("gate-protocols", "gate-ruff", "gate-guard", "gate-format", "gate-annotate", "gate-mypy", "gate-ty")
WARM = "make gates, warm, after a one-file change in tests/"
TARGET = 1.0  # seconds, the warm path after a one-file change (issue 21)


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float  # user + system, the gate's processes and the daemon's share
    others: float  # cores the machine's other processes kept busy meanwhile, on average


def _machine_busy() -> float:
    """CPU seconds every process of the machine has used since boot (/proc/stat: all but idle and iowait)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text(encoding="utf-8").split("\n", 1)[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


class Project:
    """A copy of the project, with the shared .venv linked in."""

    def __init__(self, folder: Path) -> None:
        self.root = folder / "project"
        self.root.mkdir()
        for name in COPIED:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, self.root / name, ignore=shutil.ignore_patterns(*SKIPPED))
            else:
                shutil.copy2(ROOT / name, self.root / name)
        (self.root / ".venv").symlink_to(ROOT / ".venv")
        self.changes = 0

    def _daemon_cpu(self) -> float:
        try:
            pid = json.loads((self.root / ".gates_cache" / "dmypy.json").read_text(encoding="utf-8"))["pid"]
            fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rpartition(")")[2].split()
        except (OSError, ValueError, KeyError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime

    def run(self, command: list[str]) -> Sample:
        """Wall and CPU seconds of one command, which must pass."""
        before, daemon, busy = resource.getrusage(resource.RUSAGE_CHILDREN), self._daemon_cpu(), _machine_busy()
        start = time.perf_counter()
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        after, busy = resource.getrusage(resource.RUSAGE_CHILDREN), _machine_busy() - busy
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed in the benchmark copy:\n{done.stdout}{done.stderr}")
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime + self._daemon_cpu() - daemon
        return Sample(wall, cpu, max(0.0, busy - cpu) / wall)

    def change(self) -> None:
        """Append one more test to tests/unit/test_parts.py: the one-file change."""
        self.changes += 1
        path, n = self.root / CHANGED, self.changes
        path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef test_touched_{n}() -> None:\n    assert {n} + 1 == {n + 1}\n")

    def stop(self) -> None:
        subprocess.run([*MAKE, "gates-stop"], cwd=self.root, capture_output=True, check=False)


def _median(samples: list[Sample]) -> Sample:
    median = statistics.median
    return Sample(median(s.wall for s in samples), median(s.cpu for s in samples), median(s.others for s in samples))


def measure(rounds: int = 3) -> dict[str, object]:
    """The figures of one run: samples by name (medians), and the load averages before and after."""
    results: dict[str, list[Sample]] = {}

    def record(name: str, sample: Sample) -> None:
        results.setdefault(name, []).append(sample)

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        project = Project(Path(folder))
        ty = [str(project.root / ".venv" / "bin" / "ty"), "check", "--no-progress"]
        try:
            record("ty over everything, first run on the fresh copy", project.run(ty))
            record("cold: make gates GATES_DAEMON=0 (CI's path), no cache or record", project.run([*MAKE, "gates", "GATES_DAEMON=0"]))
            record("the warm path's first run: make gates starts dmypy", project.run([*MAKE, "gates"]))
            rounds_of: list[tuple[str, Callable[[], Sample]]] = [
                (WARM, lambda: project.run([*MAKE, "gates"])),
                (
                    "make gates GATES_DAEMON=0, after a one-file change (mypy on its cache)",
                    lambda: project.run([*MAKE, "gates", "GATES_DAEMON=0"]),
                ),
            ]
            for _ in range(rounds):
                for name, run in rounds_of:
                    project.change()
                    record(name, run())
                record("make gates, warm, nothing changed", project.run([*MAKE, "gates"]))
                project.change()
                for step in STEPS:  # each sees the change for the first time
                    record(f"{step} alone", project.run([*MAKE, step]))
                record("ty over everything (CI's ty; ty keeps no cache)", project.run(ty))
                project.change()
                record("tools/ty_gate.py after a one-file change", project.run([*MAKE, "gate-ty"]))
        finally:
            project.stop()
    samples = {name: _median(samples) for name, samples in results.items()}
    return {"samples": samples, "load": (load_before, os.getloadavg()), "warm runs": results[WARM]}


def _samples(figures: dict[str, object]) -> dict[str, Sample]:
    samples = figures["samples"]
    assert isinstance(samples, dict)
    return samples


def headline(figures: dict[str, object]) -> list[tuple[str, str]]:
    warm = _samples(figures)[WARM]
    return [("static gate after a one-file test change (make gates, warm)", f"{warm.wall:.2f} s ({warm.cpu:.2f} s CPU)")]


def section(figures: dict[str, object]) -> list[str]:
    samples = _samples(figures)
    load = figures["load"]
    assert isinstance(load, tuple)
    warm, cold = samples[WARM], samples["cold: make gates GATES_DAEMON=0 (CI's path), no cache or record"]
    runs = figures["warm runs"]
    assert isinstance(runs, list)
    each = ", ".join(f"{r.wall:.2f} s ({r.others:.1f})" for r in sorted(runs, key=lambda r: r.others))
    full, gate = samples["ty over everything (CI's ty; ty keeps no cache)"], samples["tools/ty_gate.py after a one-file change"]
    return [
        "## The whole static gate, `make gates` (gen_protocol, ruff x3, annotate-fixtures, mypy, ty)",
        "",
        f"On a copy of the project; load average {load[0][0]:.1f} before, {load[1][0]:.1f} after (1 minute).",
        "",
        *table(
            ["run", "wall s", "CPU s", "cores busy with other jobs"],
            [(name, f"{s.wall:.2f}", f"{s.cpu:.2f}", f"{s.others:.1f}") for name, s in samples.items()],
        ),
        "",
        f"Warm after a one-file change: {warm.wall:.2f} s (target <= {TARGET:.0f} s), {cold.wall / warm.wall:.0f}x faster than cold. "
        f"ty, the second checker: {full.wall:.2f} s wall and {full.cpu:.2f} s CPU over everything, every run (CI's path); "
        f"{gate.wall:.2f} s and {gate.cpu:.2f} s CPU on the warm path after a one-file change.",
        "",
        f"Each warm run after a one-file change, by the cores other jobs kept busy meanwhile (in brackets): {each}.",
        "",
    ]


if __name__ == "__main__":
    sys.exit(print_section(__doc__, measure, section, rounds=3))
