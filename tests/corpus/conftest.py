"""The corpus runs once per test session, shared by every pytest-xdist worker of that session."""

from __future__ import annotations

import fcntl
import os
import pickle
from pathlib import Path

import pytest

from tests.corpus.checkers import ROOT
from tests.corpus.harness import CorpusRun, run_corpus
from tests.corpus.sweep import SWEEP
from tests.corpus.targets import TARGETS, Target

MYPY_CACHES = ROOT / ".mypy_cache"  # one folder per run name, kept between runs: a warm cache saves most of mypy's time


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    """Every target generated and type-checked: one run even when several workers collect these tests."""
    return _shared_run("corpus", TARGETS, tmp_path_factory)


@pytest.fixture(scope="session")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    """The sweep's classes (tests/corpus/sweep.py), generated and type-checked once per session."""
    return _shared_run("sweep", SWEEP, tmp_path_factory)


def _shared_run(name: str, targets: list[Target], tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    cache = MYPY_CACHES / name
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return run_corpus(targets, tmp_path_factory.mktemp(name), cache_dir=cache)
    shared: Path = tmp_path_factory.getbasetemp().parent  # the same folder for all workers of this session
    with open(shared / f"{name}.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes; the others wait for the first run
        saved = shared / f"{name}.pickle"
        if saved.is_file():
            loaded = pickle.loads(saved.read_bytes())  # noqa: S301  # written by a worker of this same session, never input
            assert isinstance(loaded, CorpusRun)
            return loaded
        run = run_corpus(targets, shared / name, cache_dir=cache)
        saved.write_bytes(pickle.dumps(run))
        return run
