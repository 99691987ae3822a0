"""A failing test shows its own line, not the tool's frames: every function of the tool that raises a
misuse or an assertion error hides its frame from pytest's traceback (``__tracebackhide__``)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from _support import run_suite

SUITE = """\
from collections.abc import AsyncIterator
from typing import Protocol

from protodoubles import ANY, assert_conforms, double, mock_of


class Greeter(Protocol):
    def greet(self, name: str) -> str: ...
    async def fetch(self, key: str) -> int: ...
    def watch(self, key: str) -> AsyncIterator[int]: ...


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


def test_replies_run_out() -> None:
    greeter = double(Greeter)
    mock_of(greeter.greet).returns("a", "b")
    greeter.greet("ada")
    greeter.greet("ada")
    greeter.greet("ada")  # LINE-REPLIES


def test_partial_check() -> None:
    greeter = double(Greeter)
    mock_of(greeter.greet).returns("hi")
    greeter.greet("ada")
    mock_of(greeter.greet).assert_last_call_has(name="bob")  # LINE-PARTIAL


def test_off_signature() -> None:
    double(Greeter).greet("ada", loud=True)  # LINE-SIGNATURE


def test_unconfigured_await() -> None:
    double(Greeter).fetch("k").send(None)  # LINE-AWAIT: the first step of an await


def test_awaited_stream() -> None:
    double(Greeter).watch("k").__await__()  # LINE-STREAM: what await does first
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    done = run_suite(tmp_path_factory.mktemp("suite"), SUITE, "--tb=long")
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
        ("test_replies_run_out", "LINE-REPLIES"),
        ("test_partial_check", "LINE-PARTIAL"),
        ("test_off_signature", "LINE-SIGNATURE"),
        ("test_unconfigured_await", "LINE-AWAIT"),
        ("test_awaited_stream", "LINE-STREAM"),
    ],
)
def test_the_failure_shows_the_test_s_line_and_no_frame_of_the_tool(report: str, test: str, line: str) -> None:
    section = _section(report, test)
    assert line in section
    tool = Path(__file__).resolve().parent.parent / "src"
    assert "protodoubles/_internal/" not in section, textwrap.shorten(section, 2000)
    assert str(tool) not in section
    assert "unittest/mock.py" not in section, textwrap.shorten(section, 2000)
    marked = [text for text in section.splitlines() if text.startswith(">")]  # the line each shown frame stopped at
    assert len(marked) == 1, marked
    assert line in marked[0]
