"""Members produced by descriptor classes: a caching decorator and a class-level descriptor instance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from typing_extensions import Self

T = TypeVar("T")


class reify(Generic[T]):  # noqa: N801  # named like the decorator it stands for
    """Computes the value once per instance, then serves it like an attribute."""

    def __init__(self, wrapped: Callable[[Any], T]) -> None:
        self.wrapped = wrapped
        self.name = wrapped.__name__

    @overload
    def __get__(self, inst: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, inst: object, owner: type[Any]) -> T: ...
    def __get__(self, inst: object, owner: type[Any]) -> Self | T:
        if inst is None:
            return self
        value = self.wrapped(inst)
        inst.__dict__[self.name] = value
        return value


class Dispatcher:
    def fire(self, event: str) -> int:
        return len(event)


class DispatchDescriptor:
    def __get__(self, inst: object, owner: type[Any]) -> Dispatcher:
        return Dispatcher()


class Request:
    dispatch = DispatchDescriptor()

    def __init__(self, path: str) -> None:
        self._path = path

    @reify
    def path_parts(self) -> list[str]:
        return self._path.split("/")

    @reify
    def depth(self) -> int:
        return len(self.path_parts)
