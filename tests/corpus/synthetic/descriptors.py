"""Members produced by descriptor classes: a caching decorator and a class-level descriptor instance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar, overload

from typing_extensions import Self

I = TypeVar("I")  # noqa: E741  # the instance type
T = TypeVar("T")


class reify(Generic[I, T]):  # noqa: N801  # named like the decorator it stands for
    """Computes the value once per instance, then serves it like an attribute."""

    def __init__(self, wrapped: Callable[[I], T]) -> None:
        self.wrapped = wrapped
        self.values: dict[int, T] = {}

    @overload
    def __get__(self, inst: None, owner: type[I]) -> Self: ...
    @overload
    def __get__(self, inst: I, owner: type[I]) -> T: ...
    def __get__(self, inst: I | None, owner: type[I]) -> Self | T:
        if inst is None:
            return self
        if id(inst) not in self.values:
            self.values[id(inst)] = self.wrapped(inst)
        return self.values[id(inst)]


class Dispatcher:
    def fire(self, event: str) -> int:
        return len(event)


class DispatchDescriptor:
    def __get__(self, inst: object, owner: type[object]) -> Dispatcher:
        return Dispatcher()


class Request:
    dispatch: DispatchDescriptor = DispatchDescriptor()  # annotated with the descriptor's own type
    events = DispatchDescriptor()

    def __init__(self, path: str) -> None:
        self._path = path

    @reify
    def path_parts(self) -> list[str]:
        return self._path.split("/")

    @reify
    def depth(self) -> int:
        return len(self.path_parts)
