"""annotate-fixtures skips a file that --check found clean only while nothing its planning read has changed
(protodoubles._internal.annotate.fresh): the file, a conftest.py above it (edited, or one added below), a module
a fixture's type was looked up in, the annotator itself. A file found wanting is never recorded. A --check
that finds every file recorded clean plans nothing and does not even load griffe."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from _support import Ran
from protodoubles._internal.annotate import fresh
from protodoubles._internal.annotate.cli import main
from protodoubles._internal.annotate.plan import Plan, Planner
from protodoubles._internal.annotate.reader import Source

CONFTEST = "import pytest\n\nfrom helpers import make_amount\n\n\n@pytest.fixture\ndef amount():\n    return make_amount()\n"
HELPERS = "def make_amount() -> int:\n    return 1\n"
TEST_A = "def test_a(amount: int) -> None:\n    assert amount\n"
TEST_B = "def test_b(tmp_path: object) -> None:\n    assert tmp_path\n"
WRONG = "annotate-fixtures: 1 parameter(s) annotated otherwise than their fixture gives\n"


@pytest.fixture
def suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fixture ``amount`` in the root conftest whose type comes from helpers.py; tests/ uses it, annotated."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "suite"\nversion = "0"\n', encoding="utf-8")
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "helpers.py").write_text(HELPERS, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text(TEST_A, encoding="utf-8")
    (tmp_path / "tests" / "test_b.py").write_text(TEST_B.replace("object", "Path").replace("def", "from pathlib import Path\n\n\ndef"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys: pytest.CaptureFixture[str]) -> Ran:
    capsys.readouterr()
    code = main(["--check", "tests"])
    out, err = capsys.readouterr()
    return Ran(code, out, err)


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files each run plans."""
    names: list[str] = []
    real: Callable[[Planner, Source], Plan] = Planner.plan

    def counting(self: Planner, source: Source) -> Plan:
        names.append(source.path.name)
        return real(self, source)

    monkeypatch.setattr(Planner, "plan", counting)
    return names


def recorded_clean(suite: Path, capsys: pytest.CaptureFixture[str], planned: list[str]) -> None:
    assert check(capsys) == Ran(0, "", "annotate-fixtures: every fixture parameter is annotated\n")
    assert sorted(planned) == ["test_a.py", "test_b.py"]
    planned.clear()
    assert check(capsys).code == 0
    assert planned == []


def test_a_clean_check_is_recorded_and_the_next_plans_nothing(suite: Path, capsys: pytest.CaptureFixture[str], planned: list[str]) -> None:
    recorded_clean(suite, capsys, planned)
    assert (suite / ".protodoubles_cache" / fresh.FILE).is_file()


def test_an_edited_test_is_planned_again_and_its_gap_reported(suite: Path, capsys: pytest.CaptureFixture[str], planned: list[str]) -> None:
    recorded_clean(suite, capsys, planned)
    (suite / "tests" / "test_a.py").write_text(TEST_A + "\n\ndef test_more(amount):\n    assert amount\n", encoding="utf-8")
    ran = check(capsys)
    assert (ran.code, ran.out) == (1, "tests/test_a.py:5: test_more(amount): int\ntests/test_a.py:5: test_more() -> None\n"), ran
    assert planned == ["test_a.py"]
    assert check(capsys).code == 1  # a file found wanting is not recorded


def test_a_changed_module_a_fixture_type_came_from_is_seen(suite: Path, capsys: pytest.CaptureFixture[str], planned: list[str]) -> None:
    recorded_clean(suite, capsys, planned)
    (suite / "helpers.py").write_text(HELPERS.replace("int", "str").replace("1", '"one"'), encoding="utf-8")
    ran = check(capsys)
    assert (ran.code, ran.err.endswith(WRONG)) == (1, True), ran
    assert "tests/test_a.py:1: test_a(amount): annotated int, but its fixture gives str" in ran.out, ran
    assert check(capsys) == ran  # a file annotated otherwise is not recorded either: reported again


def test_an_edited_conftest_is_seen(suite: Path, capsys: pytest.CaptureFixture[str], planned: list[str]) -> None:
    recorded_clean(suite, capsys, planned)
    (suite / "conftest.py").write_text("import pytest\n\n\n@pytest.fixture\ndef amount() -> float:\n    return 1.0\n", encoding="utf-8")
    ran = check(capsys)
    assert (ran.code, ran.err.endswith(WRONG)) == (1, True), ran


def test_a_conftest_added_nearer_the_test_is_seen(suite: Path, capsys: pytest.CaptureFixture[str], planned: list[str]) -> None:
    recorded_clean(suite, capsys, planned)
    (suite / "tests" / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef amount() -> bytes:\n    return b''\n", encoding="utf-8"
    )
    ran = check(capsys)
    assert (ran.code, ran.err.endswith(WRONG)) == (1, True), ran
    assert sorted(planned) == ["conftest.py", "test_a.py", "test_b.py"]


def test_a_changed_annotator_forgets_every_record(
    suite: Path, capsys: pytest.CaptureFixture[str], planned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded_clean(suite, capsys, planned)
    monkeypatch.setattr(fresh, "_code", lambda: "another annotator")
    assert check(capsys).code == 0
    assert sorted(planned) == ["test_a.py", "test_b.py"]


def test_the_records_of_another_key_are_kept_beside(
    suite: Path, capsys: pytest.CaptureFixture[str], planned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run with another search path (pytest's, in-process) does not wipe the gate's records."""
    recorded_clean(suite, capsys, planned)
    code = fresh._code
    monkeypatch.setattr(fresh, "_code", lambda: "another annotator")
    assert check(capsys).code == 0 and len(planned) == 2
    monkeypatch.setattr(fresh, "_code", code)
    assert check(capsys).code == 0 and len(planned) == 2  # the first key's records: nothing planned


def test_a_check_with_every_file_recorded_clean_does_not_load_griffe(suite: Path) -> None:
    probe = "import sys\nfrom protodoubles._internal.annotate.cli import main\nprint(main(['--check', 'tests']), 'griffe' in sys.modules)\n"

    def run() -> str:
        done = subprocess.run([sys.executable, "-c", probe], cwd=suite, capture_output=True, text=True, timeout=120, check=False)
        return done.stdout

    assert run() == "0 True\n"  # planned and recorded
    assert run() == "0 False\n"
    (suite / "tests" / "test_b.py").write_text(TEST_B.replace("object", "int"), encoding="utf-8")  # wrong: planned again
    assert run() == "tests/test_b.py:1: test_b(tmp_path): annotated int, but its fixture gives Path\n1 True\n"
