"""A small SDK-shaped client for the protocol-family tests: resources reached through a cached_property,
a property and a plain attribute, an overloaded method, and two resource classes sharing one name."""

from __future__ import annotations

from functools import cached_property
from typing import Literal, overload

from tests.contract.samples import other


class Reply:
    text: str


class Chunk:
    delta: str


class Completions:
    """Creates replies."""

    @overload
    async def create(self, *, prompt: str, stream: Literal[False] = False) -> Reply: ...
    @overload
    async def create(self, *, prompt: str, stream: Literal[True]) -> list[Chunk]: ...
    async def create(self, *, prompt: str, stream: bool = False) -> Reply | list[Chunk]:
        return Reply()


class Chat:
    completions: Completions

    def __init__(self) -> None:
        self.completions = Completions()


class Models:
    async def retrieve(self, name: str) -> str:
        return name

    @property
    def default(self) -> str:
        return "m"


class Client:
    """The client."""

    label: str | None = None

    @cached_property
    def chat(self) -> Chat:
        return Chat()

    @property
    def models(self) -> Models:
        return Models()

    @cached_property
    def legacy(self) -> other.Completions:
        return other.Completions()

    def close(self) -> None:
        return None
