"""`make gates`, end to end, on a copy of this project: the warm path (mypy's daemon, tools/ty_gate.py, the
records of gen_protocol and annotate-fixtures) passes, then, warm, a drifted test fails it through mypy, ty and
annotate-fixtures alike and a drifted class fails gen_protocol --check; each passes again once put back, and
`make gates-stop` leaves no daemon. The path CI takes (`make test`) starts no daemon at all."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.conftest import ROOT

COPIED = ("byok", "contracts", "tests", "tools", "benchmarks", "packages", "pyproject.toml", "mypy.ini", "Makefile", ".gitignore")
SKIPPED = ("__pycache__", ".mypy_cache", ".protodoubles_cache", ".gates_cache", ".pytest_cache", "*.egg-info")
# Never reinstalls into the shared .venv, whatever the copied files' times; the daemon lives 15 minutes at most.
MAKE = ["make", "--no-print-directory", "--old-file=.venv/.installed", "DMYPY_TIMEOUT=900"]
DRIFTED = """\
from protodoubles import double

from contracts.byok_protocol import BYOKProtocol


async def test_drifted(tmp_path) -> None:
    handler = double(BYOKProtocol)
    await handler.complete_chat("hi")
"""
NEW_METHOD = '''    async def ping(self) -> bool:
        """Whether a provider answers."""
        return True

    async def aclose(self) -> None:
'''


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "project"
    copy.mkdir()
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns(*SKIPPED))
        else:
            shutil.copy2(ROOT / name, copy / name)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    yield copy
    subprocess.run([*MAKE, "gates-stop"], cwd=copy, capture_output=True, timeout=120, check=False)


def gates(project: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run([*MAKE, *args, "gates"], cwd=project, capture_output=True, text=True, timeout=1800, check=False)
    return done.returncode, done.stdout + done.stderr


def test_the_warm_gate_fails_on_a_drifted_test_and_a_drifted_class(project: Path) -> None:
    code, report = gates(project)
    assert code == 0 and "Daemon started" in report, report
    probe = project / "tests" / "unit" / "test_drift_probe.py"
    probe.write_text(DRIFTED, encoding="utf-8")
    code, report = gates(project)
    assert code != 0, report
    assert "Daemon started" not in report, report  # the running daemon checked it
    assert 'test_drift_probe.py:8: error: "BYOKProtocol" has no attribute "complete_chat"  [attr-defined]' in report, report  # mypy
    assert "ty_gate: checking 1 of " in report and "--> tests/unit/test_drift_probe.py:8" in report, report  # ty
    assert "tests/unit/test_drift_probe.py:6: test_drifted(tmp_path): Path" in report, report  # annotate-fixtures
    probe.unlink()
    code, report = gates(project)
    assert code == 0, report
    handler = project / "byok" / "handler.py"
    source = handler.read_text(encoding="utf-8")
    handler.write_text(source.replace("    async def aclose(self) -> None:\n", NEW_METHOD, 1), encoding="utf-8")
    code, report = gates(project)
    assert code != 0, report
    assert "contracts/byok_protocol.py: stale; regenerate with:" in report and "BYOKProtocol.ping: member added (function)" in report, (
        report
    )
    handler.write_text(source, encoding="utf-8")
    code, report = gates(project)
    assert (code, "gen_protocol: 5 protocol(s) fresh" in report) == (0, True), report
    subprocess.run([*MAKE, "gates-stop"], cwd=project, capture_output=True, timeout=120, check=True)
    assert not (project / ".gates_cache" / "dmypy.json").exists()


def test_the_path_ci_takes_starts_no_daemon() -> None:
    """`make test` runs the gates with plain mypy, both runs, and ty over everything (a dry run lists them)."""
    done = subprocess.run([*MAKE, "--dry-run", "test"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    commands = done.stdout
    assert "dmypy" not in commands and "ty_gate" not in commands, commands
    for command in ("-m mypy tests/", "-m mypy\n", ".venv/bin/ty check --no-progress", "tools/gen_protocol.py --check", "pytest -n auto"):
        assert command in commands, (command, commands)
    assert commands.index("-m mypy tests/") < commands.index("pytest -n auto")  # the gates, then the suite
