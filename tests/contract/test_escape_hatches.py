"""Each way a hurried test dodges the gates, fed to the gate that now closes it (tests/contract/bad_cases/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from byok import BYOKHandler
from tests.contract.conftest import ROOT, MypyRunner
from tests.contract.test_no_raw_mocks import opt_outs

BAD = ROOT / "tests" / "contract" / "bad_cases"

# bad case -> (line, what the gate says)
RUFF = {
    "hatch_getattr_constant": (5, "B009"),
    "hatch_setattr_constant": (5, "B010"),
    "hatch_patch_create": (1, "TID251 `unittest.mock.patch` is banned"),
    "hatch_alias_import": (1, "TID251 `unittest.mock.AsyncMock` is banned"),
    "hatch_create_autospec": (7, "TID251 `unittest.mock.create_autospec` is banned"),
    "hatch_mocker_patch_object": (1, "TID251 `pytest_mock` is banned"),
    "hatch_type_ignore_line": (5, "PGH003"),
    "hatch_raises_exception": (10, "PT011 `pytest.raises(Exception)` is too broad"),
}
MYPY = {
    "hatch_cast_any_call": (7, 'Explicit "Any" is not allowed'),
    "hatch_cast_any_stub": (9, 'Explicit "Any" is not allowed'),
    "hatch_type_ignore_line": (5, '"type: ignore" comment without error code'),
}
SCANNER = {
    "hatch_type_ignore_file": (1, "a type: ignore before the first statement silences the whole file"),
    "hatch_mypy_ignore_errors": (1, "inline mypy configuration (# mypy: ignore-errors)"),
    "hatch_no_type_check": (6, "@no_type_check turns the type checker off for test_no_type_check"),
    "hatch_monkeypatch_raising_false": (11, "setattr(..., raising=...) may create an attribute the real object lacks"),
}
# run under pytest with the contracts plugin: the test must fail, naming the misuse
PYTEST = {
    "hatch_raises_exception": "DoubleNotConfiguredError: double(ProviderAdapterProtocol).complete() was called but never configured",
    "hatch_except_exception": "DoubleNotConfiguredError: double(ProviderAdapterProtocol).complete() was called but never configured",
    "hatch_gather_return_exceptions": "a typed double was misused during this test",
    "hatch_xfail": "stream() was iterated but never configured",
    "hatch_swallowed_attribute": "DoubleAttributeError: double(ProviderAdapterProtocol).complete_chat cannot be set",
}


def ruff(*paths: Path) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def run_pytest(case: Path, folder: Path) -> tuple[int, str]:
    """Run one bad case as a test file, in a folder of its own, with the installed plugins."""
    (folder / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    (folder / "test_case.py").write_text(case.read_text())
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "test_case.py"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("case", list(RUFF))
def test_ruff_rejects(case: str) -> None:
    line, says = RUFF[case]
    code, report = ruff(BAD / f"{case}.py")
    assert code == 1, report
    assert f"{case}.py:{line}:" in report and says in report, report


def test_ruff_passes_the_project_tests() -> None:
    code, report = ruff(ROOT / "tests")
    assert (code, report.strip()) == (0, "All checks passed!")


@pytest.mark.parametrize("case", list(MYPY))
def test_mypy_rejects(case: str, mypy: MypyRunner) -> None:
    line, says = MYPY[case]
    code, report = mypy(BAD / f"{case}.py")
    assert code == 1, report
    assert f"{case}.py:{line}: error: {says}" in report, report


@pytest.mark.parametrize("case", list(SCANNER))
def test_the_opt_out_scanner_rejects(case: str) -> None:
    line, says = SCANNER[case]
    path = BAD / f"{case}.py"
    assert opt_outs(path.read_text(), path.name) == [f"{path.name}:{line}: {says}"]


@pytest.mark.parametrize("case", ["hatch_type_ignore_file", "hatch_mypy_ignore_errors", "hatch_no_type_check"])
def test_mypy_alone_misses_what_the_scanner_catches(case: str, mypy: MypyRunner) -> None:
    """Why the scanner exists: mypy accepts these files, drift and all."""
    assert mypy(BAD / f"{case}.py") == (0, "")


@pytest.mark.parametrize("case", list(PYTEST))
def test_a_swallowed_misuse_still_fails_the_test(case: str, tmp_path: Path) -> None:
    code, report = run_pytest(BAD / f"{case}.py", tmp_path)
    assert code == 1, report
    assert PYTEST[case] in report, report
    assert ("1 failed" in report or "1 error" in report) and "xfailed" not in report, report


def test_without_the_plugin_a_swallowed_misuse_passes(tmp_path: Path) -> None:
    """The control: what the plugin adds (the BaseException alone cannot stop gather's return_exceptions)."""
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\naddopts = -p no:protodoubles\n"
    )
    (tmp_path / "test_case.py").write_text((BAD / "hatch_gather_return_exceptions.py").read_text())
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "test_case.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout


def test_writing_an_undeclared_attribute_on_the_real_handler_fails() -> None:
    handler = BYOKHandler(api_keys={})
    with pytest.raises(AttributeError, match="async_clients"):
        handler.async_clients = {}  # type: ignore[attr-defined]  # ty: ignore[missing-attribute]  # the escape hatch under test
    handler.timeout_s = 5.0  # declared attributes still work
    assert handler.timeout_s == 5.0
