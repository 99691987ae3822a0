"""Quoted forward references nested inside other annotations, in a module without postponed annotations."""

from os import PathLike
from typing import Optional, Union


class Store:
    def __init__(self, root: Union[str, "PathLike[str]"]) -> None:
        self.root = str(root)

    def open(self, name: Union[str, "PathLike[str]"], parent: Optional["Store"] = None) -> "Optional[Store]":
        return parent

    def child(self, name: str) -> "list[Store]":
        return [self]

