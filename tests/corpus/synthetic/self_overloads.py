"""Command mixins shared by a sync and an async client, told apart by an annotated ``self``."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Literal, Protocol, overload


class SyncClientProtocol(Protocol):
    _is_async_client: Literal[False]


class AsyncClientProtocol(Protocol):
    _is_async_client: Literal[True]


class KeyCommands:
    @overload
    def get(self: SyncClientProtocol, name: str) -> bytes | None: ...
    @overload
    def get(self: AsyncClientProtocol, name: str) -> Awaitable[bytes | None]: ...
    def get(self, name: str) -> bytes | None | Awaitable[bytes | None]:
        return self._execute("GET", name)

    @overload
    def exists(self: SyncClientProtocol, *names: str) -> int: ...
    @overload
    def exists(self: AsyncClientProtocol, *names: str) -> Awaitable[int]: ...
    def exists(self, *names: str) -> int | Awaitable[int]:
        return len(names)

    def _execute(self, *args: str) -> bytes | None:
        return " ".join(args).encode()


class AsyncClient(KeyCommands):
    """The async client: the overloads with ``self: AsyncClientProtocol`` apply to it."""

    _is_async_client: Literal[True] = True

    def __init__(self, url: str) -> None:
        self.url = url
