"""No test builds a mock by hand: every double comes from contracts.doubles, typed by a protocol."""

from __future__ import annotations

import ast

from tests.contract.conftest import ROOT

RAW = frozenset({"Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock"})


def raw_mock_calls(source: str, filename: str) -> list[str]:
    """``file:line: Name(...)`` for every direct construction of an unittest.mock class."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in RAW:
                found.append(f"{filename}:{node.lineno}: {name}(...)")
    return found


def test_the_scanner_finds_raw_mocks() -> None:
    sample = "from unittest import mock\nfrom unittest.mock import AsyncMock\nx = AsyncMock()\ny = mock.MagicMock(spec=int)\n"
    assert raw_mock_calls(sample, "sample.py") == ["sample.py:3: AsyncMock(...)", "sample.py:4: MagicMock(...)"]


def test_no_test_constructs_a_mock_directly() -> None:
    found = []
    bad_cases = ROOT / "tests/contract/bad_cases"
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if bad_cases not in path.parents:  # deliberately bad samples, fed to the gates by contract tests
            found += raw_mock_calls(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == []


def test_the_bad_cases_are_what_the_scanner_rejects() -> None:
    path = ROOT / "tests/contract/bad_cases/old_style_sdk_suite.py"
    assert raw_mock_calls(path.read_text(encoding="utf-8"), path.name) != []


def test_pytest_turns_warnings_into_errors() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert 'filterwarnings = ["error"]' in text


def test_pre_commit_runs_the_gates_without_downloads() -> None:
    text = (ROOT / ".pre-commit-config.yaml").read_text()
    assert "repo: local" in text and "http" not in text
    assert "tools/gen_protocol.py --check" in text
    assert "mypy tests/" in text
