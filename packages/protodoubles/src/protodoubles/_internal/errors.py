"""The errors protodoubles raises for bad input: each message is one line for the user (exit status 2)."""

from __future__ import annotations


class GenerationError(Exception):
    """Bad input to the generator: a target, a source file or an output that cannot be used."""


class SourceError(GenerationError):
    """A module file that cannot be read as Python source."""


class ConfigError(GenerationError):
    """A configuration value of the wrong type or shape (``[tool.gen_protocol]`` in pyproject.toml)."""


class AnnotateError(Exception):
    """Bad input to the fixture annotator: one line for the user, exit status 2, nothing written."""
