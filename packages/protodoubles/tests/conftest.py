"""Fixtures of protodoubles' own tests: a small project of a user's, made fresh in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from _support import CART, Project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Project:
    made = Project(tmp_path / "shop-project", capsys)
    made.write("pyproject.toml", '[project]\nname = "shop"\nversion = "1.0"\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n')
    made.write("src/shop/__init__.py", "")
    made.write("src/shop/cart.py", CART)
    monkeypatch.chdir(made.root)
    return made
