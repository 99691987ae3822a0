"""4: bare generics, written the way non-strict libraries write them (mypy.ini relaxes this module)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Dict


class Bare:
    handler: Callable
    pairs: Dict

    def __init__(self) -> None:
        self.queue: list = []

    def start(self) -> None:
        self.callback: Callable = print

    def items(self) -> tuple:
        return ()

    def stream(self) -> AsyncIterator:
        raise NotImplementedError

    def later(self) -> Awaitable:
        raise NotImplementedError

    def location(self, path: os.PathLike) -> None:
        """A bare generic written through its module."""
