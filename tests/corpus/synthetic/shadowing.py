"""A client built from mixins, one of which defines methods named like builtins (``type``, ``set``)."""

from __future__ import annotations


class Pipeline:
    def execute(self) -> list[object]:
        return []


class SetReads:
    def smembers(self, name: str) -> set[str]:
        return {name}

    def response_class(self) -> type[Pipeline]:
        return Pipeline


class KeyCommands:
    def type(self, name: str) -> str:
        return "string" if name else "none"

    def set(self, name: str, value: str) -> bool:
        return bool(name and value)


class TypeReads:
    def pipeline_class(self) -> type[Pipeline]:
        return Pipeline

    def sunion(self, *names: str) -> set[str]:
        return set(names)


class Client(SetReads, KeyCommands, TypeReads):
    """Flattened in either order, a use of ``set``/``type`` follows their definition as methods."""

    def __init__(self, url: str) -> None:
        self.url = url
