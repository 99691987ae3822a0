"""What protodoubles' own tests share: a small project of a user's, and how a run of the tool is judged."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from protodoubles._internal.gen.cli import main

CART = '''\
"""A shopping cart."""

from __future__ import annotations

from collections.abc import AsyncIterator


class Cart:
    """Items a customer is about to buy."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.items: list[str] = []

    def add(self, item: str, *, quantity: int = 1) -> int:
        self.items.extend([item] * quantity)
        return len(self.items)

    async def total(self) -> float:
        return float(len(self.items))

    async def stream_items(self) -> AsyncIterator[str]:
        for item in self.items:
            yield item
'''


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Project:
    """A user's project with a ``src/`` layout: ``src/shop/cart.py`` holds ``Cart``."""

    root: Path
    capsys: pytest.CaptureFixture[str]

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def gen(self, *args: str) -> Ran:
        """``gen-protocol ARGS`` in the project's folder, in this process."""
        self.capsys.readouterr()
        code = main(list(args))
        out, err = self.capsys.readouterr()
        return Ran(code, out, err)


def one_line_error(ran: Ran, *fragments: str, code: int = 2) -> None:
    """The run failed with exit ``code`` and said why in one line naming each of ``fragments``."""
    assert ran.code == code, (ran.code, ran.out, ran.err)
    lines = ran.err.strip().splitlines()
    assert len(lines) == 1, ran.err
    assert "Traceback" not in ran.err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def configure(project: Project, section: str, extra: Sequence[str] = ()) -> None:
    """Append ``section`` (TOML text) and ``extra`` lines to the project's pyproject.toml."""
    path = project.root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + textwrap.dedent(section) + "\n".join(extra), encoding="utf-8")


def run_suite(folder: Path, suite: str, *options: str) -> subprocess.CompletedProcess[str]:
    """Run ``suite`` as a user's test file in ``folder`` (an empty pytest.ini beside it), with the installed
    plugins but xdist, randomly and the cache."""
    (folder / "test_suite.py").write_text(suite, encoding="utf-8")
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:randomly", *options, "test_suite.py"]
    # the report's width, and so where pytest cuts its summary lines, must not depend on the caller's terminal
    env = {**os.environ, "COLUMNS": "80"}
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300, check=False, env=env)
