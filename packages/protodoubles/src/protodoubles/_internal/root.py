"""Finding the project a run belongs to: the nearest folder, from where it starts, with a project marker."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

GENERATOR_MARKERS = ("pyproject.toml",)
PYTEST_MARKERS = ("pyproject.toml", "pytest.ini", "tox.ini", "setup.cfg")  # where pytest looks for its root


def find_root(start: Path, markers: Sequence[str] = GENERATOR_MARKERS) -> Path:
    """The first of ``start`` and its parents that holds one of ``markers`` as a file; ``start`` if none does."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        if any((folder / marker).is_file() for marker in markers):
            return folder
    return start
