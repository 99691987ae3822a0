"""Unannotated class constants, and a method rewritten into an async context manager."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Transaction:
    def commit(self) -> None:
        self.done = True


class Database:
    ATTRS = frozenset({"timeout", "isolation"})
    DEFAULT_TIMEOUT = 5.0
    NAME = "main"

    def __init__(self, url: str) -> None:
        self.url = url

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        yield Transaction()
