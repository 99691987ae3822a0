"""A test cannot excuse its own misuse: resetting the record, in the test or in a fixture, leaves the
plugin's ledger as it was; only expect_misuse() takes a misuse off."""

from __future__ import annotations

from pathlib import Path

from _support import run_suite

SUITE = """\
import contextlib
from typing import Protocol

import pytest
from protodoubles import DoubleAttributeError, double, expect_misuse
from protodoubles._internal.doubles import misuse


class Greeter(Protocol):
    def greet(self, name: str) -> str: ...


@pytest.fixture
def forgiving():
    yield
    misuse.reset()


def test_reset_inline() -> None:
    greeter = double(Greeter)
    with contextlib.suppress(BaseException):
        greeter.wave = 1
    misuse.reset()


def test_reset_in_a_fixture(forgiving: None) -> None:
    greeter = double(Greeter)
    with contextlib.suppress(BaseException):
        greeter.wave = 1


def test_not_swallowed() -> None:
    double(Greeter).wave = 1


def test_expected() -> None:
    greeter = double(Greeter)
    with expect_misuse(DoubleAttributeError):
        greeter.wave = 1
"""


def test_resetting_the_record_does_not_excuse_a_misuse(tmp_path: Path) -> None:
    done = run_suite(tmp_path, SUITE, "-q", "-rA")
    report = done.stdout
    assert done.returncode == 1, report + done.stderr
    assert "ERROR test_suite.py::test_reset_inline" in report, report
    assert "ERROR test_suite.py::test_reset_in_a_fixture" in report, report
    assert "PASSED test_suite.py::test_expected" in report, report
    assert "FAILED test_suite.py::test_not_swallowed" in report, report
    assert "ERROR test_suite.py::test_not_swallowed" not in report, report  # failed once, not again at teardown
    assert report.count("ERROR at teardown of") == 2, report  # one teardown error per excused misuse, no more
