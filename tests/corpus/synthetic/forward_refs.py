"""Quoted forward references nested inside other annotations, kept from before postponed annotations."""

from __future__ import annotations

import typing
from os import PathLike
from typing import IO, Literal, Optional, Union


class Store:
    def __init__(self, root: Union[str, "PathLike[str]"]) -> None:
        self.root = str(root)

    @typing.overload
    def open(self, name: Union[str, "PathLike[str]", bytes], mode: Literal["rb"]) -> IO[bytes]: ...
    @typing.overload
    def open(self, name: Union[str, "PathLike[str]", bytes], mode: Literal["r"] = "r") -> IO[str]: ...
    def open(self, name: Union[str, "PathLike[str]", bytes], mode: str = "r") -> Union[IO[bytes], IO[str]]:
        raise FileNotFoundError(name)

    def parent(self, default: Optional["Store"] = None) -> "Optional[Store]":
        return default

    def children(self) -> "list[Store]":
        return [self]
