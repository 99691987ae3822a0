"""Read-only data: Enum members, NamedTuple fields, frozen dataclass fields and ``Final`` names."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final, NamedTuple


class Color(enum.Enum):
    RED = 1
    GREEN = 2

    def describe(self) -> str:
        return self.name.lower()


class Point(NamedTuple):
    x: float
    y: float

    def norm(self) -> float:
        return float((self.x**2 + self.y**2) ** 0.5)


@dataclass(frozen=True)
class Settings:
    url: str
    retries: int = 3

    def with_url(self, url: str) -> Settings:
        return Settings(url, self.retries)


class Limits:
    MAX_CONNECTIONS: Final = 100

    def __init__(self, name: str) -> None:
        self.name: Final[str] = name
