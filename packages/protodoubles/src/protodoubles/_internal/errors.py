"""The errors protodoubles raises for bad input: each message is one line for the user (exit status 2)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class GenerationError(Exception):
    """Bad input to the generator: a target, a source file or an output that cannot be used."""


class SourceError(GenerationError):
    """A module file that cannot be read as Python source."""


class ConfigError(GenerationError):
    """A configuration value of the wrong type or shape (``[tool.gen_protocol]`` in pyproject.toml)."""


class AnnotateError(Exception):
    """Bad input to the fixture annotator: one line for the user, exit status 2, nothing written."""


def syntax_message(path: Path, exc: SyntaxError) -> str:
    """The one line said of a file Python cannot parse (with a hint where a newer Python could)."""
    import re  # not at import time: ``import protodoubles`` loads this module

    hint = ""
    line = (exc.text or "").strip()
    if sys.version_info < (3, 12) and re.match(r"(class|def|async def)\s+\w+\s*\[|type\s+\w+", line):
        hint = " (PEP 695 type parameters need Python 3.12 or later)"
    return f"{path}:{exc.lineno}: syntax error: {exc.msg}{hint}"
