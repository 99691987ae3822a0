"""A value type that the sample class's annotations use."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:
    value: float
