"""What the generator already gets right and must keep: async generators and async context managers."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType

from typing_extensions import Self


class Channel:
    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = False

    async def receive(self, limit: int = 10) -> AsyncIterator[bytes]:
        for index in range(limit):
            yield f"{self.name}:{index}".encode()

    async def pairs(self) -> AsyncGenerator[tuple[int, bytes], None]:
        async for chunk in self.receive(2):
            yield len(chunk), chunk

    @asynccontextmanager
    async def subscription(self, topic: str) -> AsyncIterator[Channel]:
        yield Channel(f"{self.name}/{topic}")

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.closed = True
