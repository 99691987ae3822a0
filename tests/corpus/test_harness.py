"""The harness reports what is wrong: tampered protocols, a wrong class, a bad target and invalid Python."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.corpus.checkers import CheckerError, run_mypy
from tests.corpus.expectations import problems_in
from tests.corpus.harness import CorpusRun, Generation, check_all, check_source, generate_all, prepare
from tests.corpus.targets import SYNTHETIC, Target

POOL = SYNTHETIC + "lazy_exports.pool:WorkerPool"


def _row(label: str, real: str = POOL, source: str = POOL) -> Target:
    return Target(source, real, "harness self-test", label=label)


def _edit(gen: Generation, pattern: str, replacement: str) -> None:
    text = gen.protocol.read_text(encoding="utf-8")
    edited, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    assert count == 1, f"{pattern!r} not found once in:\n{text}"
    gen.protocol.write_text(edited, encoding="utf-8")


@pytest.fixture(scope="module")
def tampered(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    """One small corpus: an intact row, rows whose protocol was edited after generation, and bad rows."""
    rows = [
        _row("intact"),
        _row("wrong_return"),
        _row("extra_member"),
        _row("bare_generic"),
        _row("broken_syntax"),
        _row("other_class", real=SYNTHETIC + "narrowing:Connection"),
        _row("missing_class", source=SYNTHETIC + "lazy_exports.pool:NoSuchPool"),
    ]
    workdir = tmp_path_factory.mktemp("tampered")
    generations = {gen.target.key: gen for gen in generate_all(rows, workdir)}
    _edit(generations["wrong_return"], r"(def submit\(.*\)) -> int:", r"\1 -> str:")
    _edit(generations["extra_member"], r"^(\s+)(def shutdown\b.*)$", r"\1\2\n\1def drain(self) -> None: ...")
    _edit(generations["bare_generic"], r"^(\s+)(def shutdown\b.*)$", r"\1\2\n\1def jobs(self) -> list: ...")
    _edit(generations["broken_syntax"], r"^(\s+)(def shutdown\b.*)$", r"\1\2\n\1def from(self) -> None: ...")
    edited = [prepare(gen) for gen in generations.values()]  # as generate() does after writing
    return check_all(edited, workdir, cache_dir=tmp_path_factory.mktemp("mypy_cache"))


def test_an_intact_protocol_passes_everything(tampered: CorpusRun) -> None:
    intact = tampered.result("intact")
    assert (intact.exit_ok, intact.passes_mypy, intact.accepted_mypy, intact.accepted_pyright) == (True, True, True, True)
    assert intact.generation.members == 3 and intact.generation.strength is not None


def test_a_wrong_return_type_is_rejected_by_both_checkers(tampered: CorpusRun) -> None:
    result = tampered.result("wrong_return")
    assert (result.passes_mypy, result.accepted_mypy, result.accepted_pyright) == (True, False, False)
    assert all(d.path == result.generation.check.resolve() for d in (*result.check_mypy, *result.check_pyright))


def test_a_member_the_class_lacks_is_rejected(tampered: CorpusRun) -> None:
    result = tampered.result("extra_member")
    assert (result.accepted_mypy, result.accepted_pyright) == (False, False)
    assert "drain" in " ".join(d.message for d in result.check_mypy)


def test_a_strict_error_inside_the_protocol_is_attributed_to_it(tampered: CorpusRun) -> None:
    result = tampered.result("bare_generic")
    assert not result.passes_mypy
    assert any("type-arg" in d.message for d in result.protocol_mypy)


def test_invalid_python_is_reported_without_stopping_the_other_rows(tampered: CorpusRun) -> None:
    broken = tampered.result("broken_syntax")
    assert broken.generation.syntax_error is not None and not broken.passes_mypy and not broken.accepted_pyright
    assert tampered.result("intact").accepted_mypy  # mypy stops at a syntax error: the file was kept out


def test_a_different_class_is_not_accepted(tampered: CorpusRun) -> None:
    result = tampered.result("other_class")
    assert (result.passes_mypy, result.accepted_mypy, result.accepted_pyright) == (True, False, False)


def test_a_failed_generation_keeps_its_exit_status_and_message(tampered: CorpusRun) -> None:
    result = tampered.result("missing_class")
    assert result.generation.exit_code == 2 and "NoSuchPool" in result.generation.stderr
    assert not (result.exit_ok or result.passes_mypy or result.accepted_mypy or result.accepted_pyright)


def test_rows_must_have_distinct_keys(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="repeated: twice"):
        generate_all([_row("twice"), _row("twice")], tmp_path)


PROTOCOL_TEXT = """\
from __future__ import annotations
from typing import Any, Protocol, TYPE_CHECKING
if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from os import PathLike
class HeadersProtocol(Protocol):
    ATTRS: Any
    def keys(self) -> Iterator[str]: ...
    def open(self, path: "PathLike[str]") -> None: ...
"""


def test_expectations_report_missing_members_forbidden_text_unused_imports_and_any() -> None:
    row = Target("m:Headers", "m:Headers", "", members=("keys", "__contains__"), absent=("ATTRS: Any",), typed=True)
    assert problems_in(PROTOCOL_TEXT, row, "contract strength: 3/4 annotations present; 1 missing") == (
        "member '__contains__' missing",
        "contains 'ATTRS: Any'",
        "annotations missing where type checkers see them all: contract strength: 3/4 annotations present; 1 missing",
        "unused import 'AsyncIterator'",
    )


def test_expectations_met_report_nothing() -> None:
    text = PROTOCOL_TEXT.replace("AsyncIterator, ", "").replace("ATTRS: Any", "ATTRS: frozenset[Any]")
    row = Target("m:Headers", "m:Headers", "", members=("keys", "ATTRS", "open"), absent=("ATTRS: Any",), typed=True)
    assert problems_in(text, row, "contract strength: 4/4 annotations present") == ()


@pytest.mark.parametrize(
    ("args", "arity", "annotation"),
    [
        ((), 0, "def _accepts(x: _Real) -> QueueProtocol:"),
        (("int",), 1, "def _accepts(x: _Real[int]) -> QueueProtocol[int]:"),
        (("int",), 0, "def _accepts(x: _Real[int]) -> QueueProtocol:"),  # the protocol lost the class's parameter
        (("str", "int"), 1, "def _accepts(x: _Real[str, int]) -> QueueProtocol[Any]:"),
        ((), 1, "def _accepts(x: _Real) -> QueueProtocol:"),  # a generic protocol left bare: a --strict error
    ],
)
def test_the_check_file_parameterises_both_sides(args: tuple[str, ...], arity: int, annotation: str) -> None:
    text = check_source(Target("asyncio:Queue", "asyncio:Queue", "", args), "q_protocol", arity)
    assert annotation in text and "from asyncio import Queue as _Real" in text
    assert ("from typing import Any" in text) == ("Any]" in annotation)


def test_a_checker_that_fails_without_a_diagnostic_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CheckerError, match="mypy exited 2"):
        run_mypy([tmp_path / "absent.py"], tmp_path, tmp_path / "cache")
