"""Each corpus class: the generator succeeds, its protocol passes mypy --strict, and the class satisfies it.

A failing row here is a real defect of the generator on that class: it is reported, never skipped.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.corpus.checkers import Diagnostic
from tests.corpus.harness import CorpusRun, TargetResult
from tests.corpus.targets import TARGETS, Target

by_source = pytest.mark.parametrize("target", TARGETS, ids=[target.source for target in TARGETS])


def _written(result: TargetResult) -> str:
    """Why there is nothing to type-check, or the empty string."""
    gen = result.generation
    if not gen.written:
        tail = gen.stderr.strip().splitlines()[-3:]
        return f"generator exited {gen.exit_code}: " + " | ".join(tail)
    return f"the protocol is not valid Python: {gen.syntax_error}" if gen.syntax_error else ""


def _listing(diagnostics: Sequence[Diagnostic], limit: int = 12) -> str:
    shown = [str(d) for d in diagnostics[:limit]]
    more = len(diagnostics) - limit
    return "\n".join(shown + ([f"... and {more} more"] if more > 0 else []))


@by_source
def test_generator_writes_valid_python(corpus: CorpusRun, target: Target) -> None:
    assert _written(corpus.result(target.key)) == ""


@by_source
def test_protocol_passes_mypy_strict(corpus: CorpusRun, target: Target) -> None:
    result = corpus.result(target.key)
    assert _written(result) == ""
    assert result.passes_mypy, f"{len(result.protocol_mypy)} mypy --strict errors in the protocol:\n" + _listing(result.protocol_mypy)


@by_source
def test_mypy_accepts_the_class_as_its_protocol(corpus: CorpusRun, target: Target) -> None:
    result = corpus.result(target.key)
    assert _written(result) == ""
    assert result.accepted_mypy, "mypy rejects the real class:\n" + _listing(result.check_mypy)


@by_source
def test_pyright_accepts_the_class_as_its_protocol(corpus: CorpusRun, target: Target) -> None:
    result = corpus.result(target.key)
    assert _written(result) == ""
    assert result.accepted_pyright, "basedpyright rejects the real class:\n" + _listing(result.check_pyright)


@by_source
def test_protocol_meets_the_rows_expectations(corpus: CorpusRun, target: Target) -> None:
    result = corpus.result(target.key)
    assert _written(result) == ""
    assert result.problems == ()


def test_every_diagnostic_belongs_to_a_target(corpus: CorpusRun) -> None:
    assert corpus.stray == ()


def test_corpus_covers_packages_stdlib_and_every_defect() -> None:
    third_party = {t.source.split(".")[0].split(":")[0] for t in TARGETS if t.kind == "third-party"}
    stdlib = [t for t in TARGETS if t.kind == "stdlib"]
    themes = {int(t.notes.split(":")[0]) for t in TARGETS if t.kind == "synthetic" and t.notes[0].isdigit()}
    assert len(TARGETS) >= 25 and len(third_party) >= 8 and len(stdlib) >= 5
    assert themes == set(range(1, 15))
