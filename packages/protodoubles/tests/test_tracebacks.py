"""A failing test shows its own line, not the tool's frames: every function of the tool that raises a
misuse or an assertion error hides its frame from pytest's traceback (``__tracebackhide__``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SUITE = """\
from typing import Protocol

from protodoubles import assert_conforms, double, mock_of


class Greeter(Protocol):
    def greet(self, name: str) -> str: ...


class Wrong:
    def greet(self) -> str:
        return "hi"


def test_undeclared_attribute() -> None:
    greeter = double(Greeter)
    greeter.wave  # LINE-ATTRIBUTE


def test_unconfigured_call() -> None:
    greeter = double(Greeter)
    greeter.greet("ada")  # LINE-CALL


def test_wrong_assertion() -> None:
    greeter = double(Greeter)
    mock_of(greeter.greet).returns("hi")
    greeter.greet("ada")
    mock_of(greeter.greet).assert_called_once_with("bob")  # LINE-ASSERT


def test_non_conforming_class() -> None:
    assert_conforms(Wrong, Greeter)  # LINE-CONFORMS
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("suite")
    (folder / "test_suite.py").write_text(SUITE, encoding="utf-8")
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
        "-p",
        "no:randomly",
        "--tb=long",
        "test_suite.py",
    ]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    return done.stdout


def _section(report: str, test: str) -> str:
    start = report.index(f"_ {test} _")
    end = report.find("\n___", start + 1)
    return report[start : end if end != -1 else len(report)]


@pytest.mark.parametrize(
    ("test", "line"),
    [
        ("test_undeclared_attribute", "LINE-ATTRIBUTE"),
        ("test_unconfigured_call", "LINE-CALL"),
        ("test_wrong_assertion", "LINE-ASSERT"),
        ("test_non_conforming_class", "LINE-CONFORMS"),
    ],
)
def test_the_failure_shows_the_test_s_line_and_no_frame_of_the_tool(report: str, test: str, line: str) -> None:
    section = _section(report, test)
    assert line in section
    tool = Path(__file__).resolve().parent.parent / "src"
    assert "protodoubles/_internal/" not in section, textwrap.shorten(section, 2000)
    assert str(tool) not in section
