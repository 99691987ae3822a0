"""The whole static gate (gen_protocol --check, ruff, annotate-fixtures --check, mypy over tests/) after a
one-file change in tests/: warm, with mypy as dmypy or on its cache, next to a cold run.

Runs on a copy of the project in a temporary folder, so that the change and the caches touch nothing here.

    python benchmarks/bench_gates.py [--rounds N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import PYTHON, ROOT

COPIED = ("byok", "contracts", "tests", "tools", "pyproject.toml", "mypy.ini")
CHANGED = Path("tests/unit/test_parts.py")


def _gates(mypy: Sequence[str]) -> list[list[str]]:
    return [
        [PYTHON, "tools/gen_protocol.py", "--check"],
        [PYTHON, "-m", "ruff", "check", "tests/"],
        [PYTHON, "tools/annotate_tests.py", "--check", "tests/"],
        list(mypy),
    ]


def _run(commands: list[list[str]], cwd: Path, parallel: bool) -> float:
    """Wall seconds for the gate; every command must pass."""
    start = time.perf_counter()
    if parallel:
        running = [subprocess.Popen(c, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for c in commands]
        outputs = [(p.communicate()[0], p.returncode) for p in running]
    else:
        outputs = []
        for command in commands:
            done = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
            outputs.append((done.stdout + done.stderr, done.returncode))
    seconds = time.perf_counter() - start
    for (output, code), command in zip(outputs, commands, strict=True):
        if code != 0:
            raise RuntimeError(f"{' '.join(command[1:])} failed in the benchmark copy:\n{output.decode(errors='replace')}")
    return seconds


def _touch(project: Path, round_number: int) -> None:
    path = project / CHANGED
    path.write_text(
        path.read_text() + f"\n\ndef test_touched_{round_number}() -> None:\n    assert {round_number} + 1 == {round_number + 1}\n"
    )


def measure(rounds: int = 3) -> dict[str, float]:
    """Seconds of wall time: cold (no caches), then warm after a one-file change (medians)."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        project.mkdir()
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache"))
            else:
                shutil.copy2(source, project / name)
        status = str(Path(folder) / "dmypy.json")
        dmypy = [PYTHON, "-m", "mypy.dmypy", "--status-file", status, "run", "--", "tests/"]
        cached_mypy = [PYTHON, "-m", "mypy", "tests/"]
        results: dict[str, list[float]] = {
            "cold, sequential (mypy, no cache)": [],
            "warm, sequential, dmypy": [],
            "warm, parallel, dmypy": [],
        }
        results["warm, sequential, mypy cache"] = []
        try:
            results["cold, sequential (mypy, no cache)"].append(_run(_gates(cached_mypy), project, parallel=False))
            _run(_gates(dmypy), project, parallel=False)  # starts the daemon
            for number in range(rounds):
                _touch(project, 3 * number)
                results["warm, sequential, dmypy"].append(_run(_gates(dmypy), project, parallel=False))
                _touch(project, 3 * number + 1)
                results["warm, parallel, dmypy"].append(_run(_gates(dmypy), project, parallel=True))
                _touch(project, 3 * number + 2)
                results["warm, sequential, mypy cache"].append(_run(_gates(cached_mypy), project, parallel=False))
        finally:
            subprocess.run([PYTHON, "-m", "mypy.dmypy", "--status-file", status, "stop"], cwd=project, capture_output=True, check=False)
    return {name: statistics.median(values) for name, values in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for name, seconds in measure(args.rounds).items():
        print(f"{name}: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
