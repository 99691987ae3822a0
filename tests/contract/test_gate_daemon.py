"""The warm gate's mypy, `dmypy run --` with no files, checks what the cold gate's `mypy tests/` and `mypy` check
together, with the same settings: on a small project laid out as this one and checked with this project's own
mypy.ini, it reports exactly the union of their errors (the strict ones, those only the tests.* section raises,
none from the excluded bad cases); and once warm it still reports a drift in tests/, whether the test changed or
the class under it did."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.conftest import ROOT

HANDLER = "class Handler:\n    def ask(self, prompt: str) -> str:\n        return prompt\n"
UNTYPED = "\n\ndef untyped(x):\n    return x\n"
CLEAN_TEST = """\
from byok.core import Handler


def test_calls(handler: Handler) -> None:
    assert handler.ask("x") == "x"
"""
DRIFTED_TEST = """\
from typing import Any

from byok.core import Handler


def test_calls(handler: Handler) -> None:
    handler.ask_all("x")


def test_any(value: Any) -> None:
    pass


def test_ignore() -> None:
    n: int = 1  # type: ignore[assignment]
"""
FILES = {
    "byok/__init__.py": "",
    "byok/core.py": HANDLER + UNTYPED,
    "contracts/__init__.py": "",
    "contracts/values.py": "VALUE: int = 1\n",
    "tools/tool.py": "TOOL: int = 1\n",
    "benchmarks/bench.py": "BENCH: int = 1\n",
    "packages/protodoubles/src/source.py": "SOURCE: int = 1\n",
    "packages/protodoubles/tests/test_package.py": 'def test_package() -> None:\n    n: int = "x"\n',
    "tests/__init__.py": "",
    "tests/contract/__init__.py": "",
    "tests/contract/bad_cases/__init__.py": "",
    "tests/contract/bad_cases/bad.py": 'n: int = "excluded"\n',
    "tests/test_calls.py": DRIFTED_TEST,
}
ERROR = re.compile(r"^(\S+?):(\d+): error: .*\[([a-z-]+)\]$", re.MULTILINE)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "mypy.ini", tmp_path / "mypy.ini")  # the gate's own settings
    return tmp_path


@pytest.fixture
def dmypy(project: Path) -> Iterator[list[str]]:
    """The warm gate's command (Makefile: gate-mypy), with its status file in the project; stopped after."""
    command = [sys.executable, "-m", "mypy.dmypy", "--status-file", str(project / "dmypy.json")]
    yield [*command, "run", "--timeout", "600", "--"]
    subprocess.run([*command, "stop"], cwd=project, capture_output=True, timeout=60, check=False)


def _errors(command: list[str], project: Path) -> set[tuple[str, int, str]]:
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    found = {(path, int(line), code) for path, line, code in ERROR.findall(done.stdout)}
    assert (done.returncode == 1) == bool(found), done.stdout + done.stderr
    return found


def test_the_daemon_reports_the_union_of_both_mypy_runs(project: Path, dmypy: list[str]) -> None:
    in_tests = _errors([sys.executable, "-m", "mypy", "tests/"], project)
    everywhere = _errors([sys.executable, "-m", "mypy"], project)
    assert in_tests == {
        ("byok/core.py", 6, "no-untyped-def"),  # strict, in a module the tests import
        ("tests/test_calls.py", 7, "attr-defined"),
        ("tests/test_calls.py", 10, "explicit-any"),  # [mypy-tests.*] only
        ("tests/test_calls.py", 15, "unused-ignore"),
    }
    assert everywhere == in_tests | {("packages/protodoubles/tests/test_package.py", 2, "assignment")}
    assert _errors(dmypy, project) == in_tests | everywhere


def test_the_warm_daemon_still_reports_a_drift_in_tests(project: Path, dmypy: list[str]) -> None:
    (project / "tests" / "test_calls.py").write_text(CLEAN_TEST, encoding="utf-8")
    (project / "byok" / "core.py").write_text(HANDLER, encoding="utf-8")
    (project / "packages" / "protodoubles" / "tests" / "test_package.py").write_text("", encoding="utf-8")
    assert _errors(dmypy, project) == set()  # started: the daemon holds the whole build
    (project / "tests" / "test_calls.py").write_text(DRIFTED_TEST, encoding="utf-8")
    drifted = {
        ("tests/test_calls.py", 7, "attr-defined"),
        ("tests/test_calls.py", 10, "explicit-any"),
        ("tests/test_calls.py", 15, "unused-ignore"),
    }
    assert _errors(dmypy, project) == drifted
    (project / "tests" / "test_calls.py").write_text(CLEAN_TEST, encoding="utf-8")
    assert _errors(dmypy, project) == set()
    (project / "byok" / "core.py").write_text(HANDLER.replace("def ask(", "def ask_one("), encoding="utf-8")  # the class drifts
    assert _errors(dmypy, project) == {("tests/test_calls.py", 5, "attr-defined")}
