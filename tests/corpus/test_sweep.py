"""Each class of the sweep (tests/corpus/sweep.py) passes every check the corpus makes, unless it is listed
in KNOWN with the reason; a listed class that passes fails too, so that the list is kept true."""

from __future__ import annotations

import pytest

from tests.corpus.harness import CorpusRun, TargetResult
from tests.corpus.sweep import KNOWN, SWEEP
from tests.corpus.targets import Target


def failed_checks(result: TargetResult) -> list[str]:
    """The checks a class fails, by name, with the first diagnostics of each."""
    gen = result.generation
    if not gen.written:
        return [f"generator exited {gen.exit_code}: " + " | ".join(gen.stderr.strip().splitlines()[-2:])]
    if gen.syntax_error:
        return [f"the protocol is not valid Python: {gen.syntax_error}"]
    checks = {
        "protocol under mypy --strict": result.protocol_mypy,
        "class accepted by mypy": result.check_mypy,
        "protocol under basedpyright": result.protocol_pyright,
        "class accepted by basedpyright": result.check_pyright,
    }
    failed = [f"{name}: " + "; ".join(str(d) for d in found[:2]) for name, found in checks.items() if found]
    return failed + [f"expectation: {problem}" for problem in result.problems]


@pytest.mark.parametrize("target", SWEEP, ids=[target.source for target in SWEEP])
def test_sweep_class(sweep: CorpusRun, target: Target) -> None:
    failed = failed_checks(sweep.result(target.key))
    if target.source in KNOWN:
        assert failed, f"{target.source} now passes every check: take it out of KNOWN ({KNOWN[target.source]})"
    else:
        assert failed == [], "\n".join(failed)


def test_every_known_failure_is_a_sweep_class() -> None:
    assert set(KNOWN) <= {target.source for target in SWEEP}


def test_the_sweep_spans_packages_and_the_standard_library() -> None:
    packages = {target.source.split(".")[0].split(":")[0] for target in SWEEP}
    assert len(SWEEP) >= 200 and len(packages) >= 30
