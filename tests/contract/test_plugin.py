"""The contracts pytest plugin: a stale generated protocol fails the session before any test runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.contract.conftest import GenRunner

CLASS = """\
class Store:
    async def fetch(self, key: str) -> bytes:
        return b""
"""
TEST = "def test_nothing_to_see() -> None:\n    assert 1 + 1 == 2\n"


@pytest.fixture
def project(tmp_path: Path, gen: GenRunner) -> Path:
    """A small project with one configured protocol, generated fresh, and one passing test."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\naddopts = "-p no:cacheprovider -p no:xdist"\nasyncio_default_fixture_loop_scope = "function"\n\n'
        '[[tool.gen_protocol.targets]]\nsource = "store.py:Store"\noutput = "store_protocol.py"\n'
    )
    (tmp_path / "store.py").write_text(CLASS)
    (tmp_path / "test_store.py").write_text(TEST)
    assert gen(cwd=tmp_path).code == 0
    return tmp_path


def pytest_in(folder: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", *args], cwd=folder, capture_output=True, text=True, check=False)
    return done.returncode, done.stdout + done.stderr


def test_fresh_protocols_let_the_session_run(project: Path) -> None:
    code, report = pytest_in(project)
    assert code == 0 and "1 passed" in report, report


def test_a_stale_protocol_fails_the_session_with_its_drift_lines(project: Path) -> None:
    (project / "store.py").write_text(CLASS.replace("key: str", "key: str, *, fresh: bool = False"))
    code, report = pytest_in(project)
    assert code == 1, report
    assert "stale generated protocol(s):" in report
    assert "store_protocol.py: stale; regenerate with: gen-protocol" in report
    assert "  - StoreProtocol.fetch(fresh): optional parameter added" in report, report
    assert "passed" not in report


@pytest.mark.parametrize("switch", [("--no-protocol-check",), ("-p", "no:protodoubles")])
def test_the_check_can_be_turned_off(switch: tuple[str, ...], project: Path) -> None:
    (project / "store.py").write_text(CLASS.replace("key: str", "key: str, *, fresh: bool = False"))
    code, report = pytest_in(project, *switch)
    assert code == 0 and "1 passed" in report, report
