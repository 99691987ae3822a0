"""Helpers for the contract tests: the generator's command line in-process, and mypy on snippets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
from mypy import api as mypy_api
from protodoubles._internal.gen.cli import main as gen_main

ROOT = Path(__file__).resolve().parents[2]
collect_ignore = ["bad_cases"]  # deliberately bad samples, fed to the gates by the contract tests


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


class GenRunner(Protocol):
    def __call__(self, *args: str, cwd: Path = ...) -> Run: ...


class MypyRunner(Protocol):
    def __call__(self, *files: Path | str) -> tuple[int, str]: ...


@pytest.fixture
def gen(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> GenRunner:
    """``gen(*args, cwd=...)`` runs tools/gen_protocol.py's main in this process."""

    def run(*args: str, cwd: Path = ROOT) -> Run:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = gen_main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy_cache")  # one per xdist worker: runs never share a cache


@pytest.fixture
def mypy(mypy_cache: Path, monkeypatch: pytest.MonkeyPatch) -> MypyRunner:
    """``mypy(*files)``: mypy --strict from the project root; returns (exit status, report)."""

    def run(*files: Path | str) -> tuple[int, str]:
        monkeypatch.chdir(ROOT)
        out, err, code = mypy_api.run(
            ["--strict", "--no-error-summary", "--show-error-codes", "--cache-dir", str(mypy_cache), *map(str, files)]
        )
        return code, out + err

    return run
