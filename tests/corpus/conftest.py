"""The corpus runs once per test session, shared by every pytest-xdist worker of that session."""

from __future__ import annotations

import fcntl
import os
import pickle
from pathlib import Path

import pytest

from tests.corpus.checkers import ROOT
from tests.corpus.harness import CorpusRun, run_corpus
from tests.corpus.targets import TARGETS

MYPY_CACHE = ROOT / ".mypy_cache" / "corpus"  # kept between runs: a warm cache saves most of mypy's time


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    """Every target generated and type-checked: one run even when several workers collect these tests."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return run_corpus(TARGETS, tmp_path_factory.mktemp("corpus"), cache_dir=MYPY_CACHE)
    shared: Path = tmp_path_factory.getbasetemp().parent  # the same folder for all workers of this session
    with open(shared / "corpus.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes; the others wait for the first run
        saved = shared / "corpus.pickle"
        if saved.is_file():
            loaded = pickle.loads(saved.read_bytes())  # written by a worker of this same session
            assert isinstance(loaded, CorpusRun)
            return loaded
        run = run_corpus(TARGETS, shared / "corpus", cache_dir=MYPY_CACHE)
        saved.write_bytes(pickle.dumps(run))
        return run
