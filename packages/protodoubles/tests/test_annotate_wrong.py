"""annotate-fixtures --check reports a parameter annotated with another type than its fixture gives (an
``object`` annotation hides a drifted test from mypy); the same type written another way is no report."""

from __future__ import annotations

from pathlib import Path

import pytest
from protodoubles._internal.annotate.cli import main

CONFTEST = "import pytest\n\n\n@pytest.fixture\ndef amount() -> int:\n    return 1\n"


@pytest.fixture
def suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "suite"\nversion = "0"\n', encoding="utf-8")
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("written", ["object", "str", "int | None"])
def test_a_wrong_annotation_is_reported(suite: Path, written: str, capsys: pytest.CaptureFixture[str]) -> None:
    (suite / "test_a.py").write_text(f"def test_a(amount: {written}) -> None:\n    assert amount\n", encoding="utf-8")
    assert main(["--check", "test_a.py"]) == 1
    assert f"test_a.py:1: test_a(amount): annotated {written}, but its fixture gives int" in capsys.readouterr().out


@pytest.mark.parametrize("written", ["int", "'int'", "builtins.int"])
def test_the_same_type_written_another_way_is_no_report(suite: Path, written: str, capsys: pytest.CaptureFixture[str]) -> None:
    (suite / "test_a.py").write_text(f"import builtins\n\n\ndef test_a(amount: {written}) -> None:\n    assert amount\n", encoding="utf-8")
    assert main(["--check", "test_a.py"]) == 0, capsys.readouterr()
