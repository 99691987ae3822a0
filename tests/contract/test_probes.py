"""The drift probes (tests/contract/bad_cases/probes/): 80 test files written as a hurried developer writes
them, each with one drift against BYOKProtocol or an SDK family hidden behind one dodge, and 2 controls.

Each is copied, as a test file, into a folder of its own under bad_cases (so the project's ruff, mypy, ty
and pytest settings for tests apply, and no scan of tests/ sees it), and fed to every gate of `make test`:
ruff and its guard pass, the opt-out scanner, annotate-fixtures' check, mypy, ty, and pytest with the
plugin. Every probe must fail at least one gate; each control must pass every one."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from protodoubles._internal.annotate.plan import Planner
from protodoubles._internal.annotate.reader import Library
from protodoubles._internal.annotate.resolve import Resolver

from tests.contract.conftest import ROOT
from tests.contract.test_no_raw_mocks import opt_outs

PROBES = ROOT / "tests" / "contract" / "bad_cases" / "probes"
GUARD_RULES = "TID251,B009,B010,B017,PT011,PGH003,PGH004,S102,S307"
Caught = dict[str, set[str]]


def _run(*command: str) -> str:
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=900)
    return done.stdout + done.stderr


def _named(report: str, files: list[Path]) -> set[str]:
    return {path.stem for path in files if re.search(rf"{re.escape(path.name)}[:\"]", report)}


@pytest.fixture(scope="module")
def caught(mypy_cache: Path) -> Iterator[Caught]:
    folder = PROBES.parent / f"_run_{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    try:
        shutil.copy(ROOT / "tests" / "unit" / "conftest.py", folder / "conftest.py")  # the unit tier's fixtures, as defined there
        files = [folder / f"test_{probe.name.removeprefix('probe_')}" for probe in sorted(PROBES.glob("probe_*.py"))]
        for probe, copy in zip(sorted(PROBES.glob("probe_*.py")), files, strict=True):
            shutil.copy(probe, copy)
        names = [str(path) for path in files]
        found: Caught = {path.stem: set() for path in files}
        gates = {
            "ruff": _run(sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", *names),
            "ruff guard pass": _run(
                sys.executable,
                "-m",
                "ruff",
                "check",
                "--no-cache",
                "--ignore-noqa",
                "--select",
                GUARD_RULES,
                "--output-format",
                "concise",
                *names,
            ),
            "ty": _run(str(ROOT / ".venv" / "bin" / "ty"), "check", "--no-progress", "--output-format", "concise", *names),
            "mypy": _run(sys.executable, "-m", "mypy", "--cache-dir", str(mypy_cache), "--no-error-summary", *names),
        }
        for gate, report in gates.items():
            for name in _named(report, files):
                found[name].add(gate)
        for path in files:
            if opt_outs(path.read_text(encoding="utf-8"), path.name, tier=True):  # the probes stand for unit tests
                found[path.stem].add("scanner")
        planner = Planner(Resolver(ROOT, Library(ROOT)))
        for path in files:
            plan = planner.plan(planner.resolver.source(path))
            if plan.edits or plan.wrong:
                found[path.stem].add("annotate")
        report = _run(
            sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:randomly", str(folder)
        )
        for line in report.splitlines():
            match = re.match(r"^(FAILED|ERROR) \S*?(test_[a-z]\d\d_\w+)\.py", line)
            if match:
                found[match.group(2)].add("pytest")
        yield found
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_every_probe_fails_a_gate(caught: Caught) -> None:
    escaped = sorted(name for name, gates in caught.items() if not gates and "_c0" not in name)
    assert len(caught) == 82
    assert escaped == [], escaped


def test_the_controls_pass_every_gate(caught: Caught) -> None:
    controls = {name: gates for name, gates in caught.items() if name.startswith(("test_c01", "test_c02"))}
    assert controls == {"test_c01_control_generate": set(), "test_c02_control_stream_and_double": set()}
