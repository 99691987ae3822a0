"""A generic class whose type parameter has a default (PEP 696, through typing_extensions)."""

from __future__ import annotations

from typing import Generic

from typing_extensions import TypeVar

T = TypeVar("T", default=str)


class Box(Generic[T]):
    def __init__(self, item: T) -> None:
        self.item = item

    def get(self) -> T:
        return self.item


def make_box() -> Box:  # a bare Box means Box[str]
    return Box("empty")
