"""A second module with a class named like one in values.py, for the name-collision test."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:
    raw: bytes


class Legacy:
    def legacy(self, reading: Reading) -> None:
        return None


class Completions:
    """A second class named Completions, for the family naming test."""

    def complete(self, prompt: str) -> str:
        return prompt
