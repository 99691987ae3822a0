"""What the generator gives back: a generated protocol, and a file that no longer matches its class.
Plain values, importable without loading the generator."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Generated:
    """A protocol generated from a class: its text, and how much of the class it holds."""

    source: str  # the target, as given
    name: str  # the protocol class (the root of a family)
    output: Path | None
    text: str
    members: int
    strength: str  # the contract-strength line: "NameProtocol (12 members): ..."
    warnings: tuple[str, ...]  # members weakened or left out, and why


@dataclass(frozen=True)
class StaleProtocol:
    """A generated file that no longer matches its class."""

    output: Path
    source: str
    regenerate: str  # the command that rewrites it
    drift: tuple[str, ...]  # one line per change
    diff: str  # unified diff from the file on disk to what the class gives now

    def report(self, root: Path) -> list[str]:
        """What a stale file is reported as: its path from ``root`` and the command, then a line per change."""
        head = f"{os.path.relpath(self.output, root)}: stale; regenerate with: {self.regenerate}"
        return [head, *(f"  - {line}" for line in self.drift)]
