"""tools/ty_gate.py, ty on the warm path: after a clean run it checks again only the files a change reaches, and
a change never goes unseen: an edited test, a class under a test (directly or through a helper), a stub that
appears next to a module, a helper that goes away. Anything it does not follow, it checks everything."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.contract.conftest import ROOT

GATE = ROOT / "tools" / "ty_gate.py"
PYPROJECT = '[tool.ty.src]\ninclude = ["tests"]\nexclude = ["tests/bad"]\n\n[tool.ty.environment]\npython = ".venv"\n'
FILES = {
    "pkg/__init__.py": "",
    "pkg/api.py": "class Client:\n    def ask(self, prompt: str) -> str:\n        return prompt\n",
    "pkg/util.py": "def double(n: int) -> int:\n    return 2 * n\n",
    "tests/__init__.py": "",
    "tests/helpers.py": "from pkg.util import double\n\n\ndef twice(n: int) -> int:\n    return double(n)\n",
    "tests/test_api.py": 'from pkg.api import Client\n\n\ndef test_ask() -> None:\n    assert Client().ask("hi") == "hi"\n',
    "tests/test_helpers.py": "from tests.helpers import twice\n\n\ndef test_twice() -> None:\n    assert twice(2) == 4\n",
    "tests/test_alone.py": "def test_alone() -> None:\n    assert 1 + 1 == 2\n",
    "tests/bad/test_excluded.py": 'n: int = "never checked"\n',
}
CHECKED = 5  # tests/: three test files, __init__.py and helpers.py (tests/bad is excluded)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def gate(project: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, str(GATE), "--ty", str(ROOT / ".venv" / "bin" / "ty"), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def settle(project: Path) -> None:
    """Every folder as if last changed a minute ago: listings the record may trust (tools/import_graph.py)."""
    old = time.time() - 60
    for folder in [project, *(p for p in project.rglob("*") if p.is_dir() and ".venv" not in p.parts)]:
        os.utime(folder, (old, old))


def clean(project: Path) -> None:
    code, report = gate(project)
    assert code == 0, report
    settle(project)
    assert gate(project) == (0, f"ty_gate: {CHECKED} file(s) unchanged since ty last found them clean\n")


def test_the_first_run_checks_everything_and_a_second_nothing(project: Path) -> None:
    code, report = gate(project)
    assert (code, report.splitlines()[0]) == (0, "ty_gate: checking every file (no record of a clean run in this configuration)")
    assert gate(project) == (0, f"ty_gate: {CHECKED} file(s) unchanged since ty last found them clean\n")


def test_an_edited_test_is_checked_alone_and_its_error_reported(project: Path) -> None:
    clean(project)
    test = project / "tests" / "test_alone.py"
    test.write_text(test.read_text() + '\n\ndef test_wrong() -> None:\n    n: int = "one"\n', encoding="utf-8")
    code, report = gate(project)
    assert code == 1, report
    assert "checking 1 of 5 file(s)" in report and "tests/test_alone.py:6" in report, report
    code, report = gate(project)  # a failing run is not recorded: checked again
    assert code == 1 and "tests/test_alone.py:6" in report, report


def test_a_changed_class_fails_the_test_that_uses_it(project: Path) -> None:
    clean(project)
    (project / "pkg" / "api.py").write_text(FILES["pkg/api.py"].replace("def ask(", "def ask_one("), encoding="utf-8")
    code, report = gate(project)
    assert code == 1, report
    assert "checking 1 of 5 file(s)" in report and "tests/test_api.py:5" in report and "missing-attribute" in report, report


def test_a_change_two_imports_away_is_seen(project: Path) -> None:
    clean(project)
    (project / "pkg" / "util.py").write_text("def double(n: str) -> str:\n    return 2 * n\n", encoding="utf-8")
    code, report = gate(project)
    assert code == 1, report
    assert "checking 2 of 5 file(s)" in report and "tests/helpers.py:5" in report, report  # helpers and test_helpers


def test_a_stub_that_appears_beside_a_module_is_seen(project: Path) -> None:
    clean(project)
    (project / "pkg" / "api.pyi").write_text("class Client:\n    def ask(self, prompt: bytes) -> bytes: ...\n", encoding="utf-8")
    code, report = gate(project)
    assert code == 1, report
    assert "tests/test_api.py:5" in report and "invalid-argument-type" in report, report


def test_a_helper_that_goes_away_fails_its_importer(project: Path) -> None:
    clean(project)
    (project / "tests" / "helpers.py").unlink()
    code, report = gate(project)
    assert code == 1, report
    assert "checking 1 of 4 file(s)" in report and "tests/test_helpers.py:1" in report and "import-not-found" in report, report


def test_a_new_test_file_is_checked(project: Path) -> None:
    clean(project)
    (project / "tests" / "test_new.py").write_text('def test_new() -> None:\n    n: int = "new"\n', encoding="utf-8")
    code, report = gate(project)
    assert code == 1 and "checking 1 of 6 file(s)" in report and "tests/test_new.py:2" in report, report


def test_a_changed_configuration_checks_everything(project: Path) -> None:
    clean(project)
    (project / "pyproject.toml").write_text(PYPROJECT.replace('exclude = ["tests/bad"]', "exclude = []"), encoding="utf-8")
    code, report = gate(project)
    assert code == 1, report
    assert "checking every file" in report and "tests/bad/test_excluded.py:1" in report, report


def test_a_setting_it_does_not_follow_checks_everything_every_time(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT.replace('"tests/bad"', '"tests/b*"'), encoding="utf-8")
    for _ in range(2):
        code, report = gate(project)
        assert (code, report.splitlines()[0]) == (0, "ty_gate: checking every file ([tool.ty.src] exclude is not a list of plain paths)")
