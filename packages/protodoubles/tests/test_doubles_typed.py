"""mypy checks what a test configures and asserts against the double's own signatures: each line marked
``# E`` below is a mypy error, and no other line is."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from mypy import api

HERE = Path(__file__).resolve().parent
SNIPPET = """\
from collections.abc import AsyncIterator
from typing import Protocol

import wrapper_code
from protodoubles import ANY, Raise, double, inject, mock_of
from wrapper_code import Client, Sender


class Replies(Protocol):
    def ask(self, question: str, *, model: str) -> str: ...
    async def fetch(self, key: str) -> int: ...
    def watch(self, key: str) -> AsyncIterator[int]: ...


def configure(replies: Replies) -> None:
    mock_of(replies.ask).returns("a", Raise(TimeoutError()), "b")
    mock_of(replies.ask).returns("a", 2)  # E: a reply of the wrong type
    mock_of(replies.fetch).returns(1, Raise(KeyError("k")), 3)
    mock_of(replies.fetch).returns(1, "two")  # E: a reply of the wrong type
    mock_of(replies.ask).assert_last_call_has(ANY, model="m")
    mock_of(replies.ask).assert_last_call_has(ANY, modle="m")  # E: a misspelt parameter
    mock_of(replies.ask).assert_last_call_has(model="m")  # E: a required parameter neither checked nor ANY


def construct() -> None:
    made = inject(Client, double(Sender), into=wrapper_code)
    made.assert_called_once_with("key", timeout=5.0)
    made.assert_called_once_with(key="k")  # E: not the real constructor's parameter
    made.assert_called_with("key", timeout="5")  # E: the wrong type for the real constructor
"""


@pytest.fixture(scope="module")
def errors(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    folder = tmp_path_factory.mktemp("typed")
    (folder / "snippet.py").write_text(SNIPPET, encoding="utf-8")
    os.environ["MYPYPATH"] = str(HERE)
    try:
        report, _, _ = api.run(
            ["--strict", "--no-incremental", "--cache-dir", os.devnull, "--config-file", os.devnull, str(folder / "snippet.py")]
        )
    finally:
        del os.environ["MYPYPATH"]
    found: dict[int, str] = {}
    for line in report.splitlines():
        match = re.match(r".*snippet\.py:(\d+): error: (.*)", line)
        if match:
            found[int(match.group(1))] = match.group(2)
    return found


def test_every_marked_line_is_an_error_and_no_other(errors: dict[int, str]) -> None:
    marked = {number for number, line in enumerate(SNIPPET.splitlines(), start=1) if "# E" in line}
    assert len(marked) == 6
    assert set(errors) == marked, errors


def test_the_errors_name_what_is_wrong(errors: dict[int, str]) -> None:
    text = "\n".join(errors.values())
    assert 'Unexpected keyword argument "modle"' in text
    assert 'Unexpected keyword argument "key"' in text
    assert 'Missing positional argument "question"' in text
