"""One small class per generator defect of issue 9; tests/contract/test_gen_defects.py reads them."""

from __future__ import annotations

import enum
import sys
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property
from os import PathLike
from typing import TYPE_CHECKING, Final, Generic, Literal, NamedTuple, Protocol, TypedDict, Union, overload

from typing_extensions import Self, TypeVar, Unpack

T = TypeVar("T")
D = TypeVar("D", default=str)


class Options(TypedDict, total=False):
    timeout: float
    retries: int


class Branches:
    """1: the branch a type checker takes wins."""

    if TYPE_CHECKING:

        def get(self, url: str, **options: Unpack[Options]) -> int: ...

    else:

        def get(self, *args: object, **kwargs: object) -> int:
            return 0

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> int:
            return 0

    if sys.version_info >= (3, 8):

        def modern(self) -> str:
            return "new"

    else:

        def modern(self) -> int:
            return 0


class Setters:
    """2: a setter takes a wider type than its getter returns."""

    def __init__(self) -> None:
        self._timeout = 1.0

    @property
    def timeout(self) -> float:
        return self._timeout

    @timeout.setter
    def timeout(self, seconds: float | str | None) -> None:
        self._timeout = float(seconds or 0)


class SyncMarker(Protocol):
    is_async: Literal[False]


class AsyncMarker(Protocol):
    is_async: Literal[True]


class AsyncCommands:
    """3: overloads told apart only by an annotated self."""

    is_async: Literal[True] = True

    @overload
    def ping(self: SyncMarker) -> bool: ...
    @overload
    def ping(self: AsyncMarker) -> Callable[[], bool]: ...
    def ping(self: SyncMarker | AsyncMarker) -> bool | Callable[[], bool]:
        return True


class ForwardRefs:
    """5: a quoted reference inside another annotation."""

    def open(self, path: Union[str, "PathLike[str]"]) -> "list[ForwardRefs]":
        return [self]


class Narrowed:
    """6: the attribute's type is narrower than the parameter's."""

    def __init__(self, verbose: bool | None = None) -> None:
        if verbose is None:
            verbose = False
        self.verbose = verbose


class Lazy(Generic[T]):
    """A descriptor, as aiohttp's reify."""

    def __init__(self, wrapped: Callable[..., T]) -> None:
        self.wrapped = wrapped

    @overload
    def __get__(self, instance: None, owner: type[object]) -> Self: ...
    @overload
    def __get__(self, instance: object, owner: type[object]) -> T: ...
    def __get__(self, instance: object, owner: type[object]) -> Self | T:
        return self if instance is None else self.wrapped(instance)


class Events:
    def fire(self) -> int:
        return 1


class EventsDescriptor:
    def __get__(self, instance: object, owner: type[object]) -> Events:
        return Events()


class ModeDescriptor:
    """Shaped like sqlalchemy's echo_property, whose unannotated instance pyright types its own way."""

    @overload
    def __get__(self, instance: None, owner: type[object]) -> ModeDescriptor: ...
    @overload
    def __get__(self, instance: object, owner: type[object]) -> Literal["fast"] | None: ...
    def __get__(self, instance: object, owner: type[object]) -> ModeDescriptor | Literal["fast"] | None:
        return self if instance is None else "fast"


class Descriptors:
    """7: a descriptor decorator, a descriptor-typed class annotation, cached_property, and an
    unannotated descriptor instance whose type pyright infers its own way."""

    events: EventsDescriptor = EventsDescriptor()
    mode = ModeDescriptor()

    @Lazy
    def size(self) -> int:
        return 1

    @cached_property
    def name(self) -> str:
        return "n"


class Color(enum.Enum):
    """8: enum members are read-only and of the enum's type."""

    RED = 1

    def label(self) -> str:
        return self.name


class Point(NamedTuple):
    """8: NamedTuple fields are read-only."""

    x: float


@dataclass(frozen=True)
class Frozen:
    """8: frozen dataclass fields are read-only."""

    url: str


class Finals:
    """8: a Final instance attribute is read-only; a class-level Final has no form both checkers accept."""

    LIMIT: Final = 3

    def __init__(self) -> None:
        self.created: Final[str] = "now"


class SetMixin:
    def set(self, key: str, value: str) -> None:
        return None

    def type(self, key: str) -> str:
        return key


class Shadowing(SetMixin):
    """9: members named like the builtins its annotations use."""

    def members(self, key: str) -> set[str]:
        return {key}

    def kind(self) -> type[int]:
        return int


class Defaulted(Generic[D]):
    """10: a PEP 696 TypeVar default."""

    def get(self) -> D:
        raise LookupError


class Headers(Mapping[str, int]):
    """13: members inherited from collections.abc.Mapping, with its type arguments."""

    def __getitem__(self, key: str) -> int:
        return 0

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


class Counts(dict[str, int]):
    """13: members inherited from dict."""

    def bump(self, key: str) -> int:
        return 1


class Transaction:
    def commit(self) -> None:
        return None


class Constants:
    """14: unannotated class constants; an async context manager method."""

    NAMES = frozenset({"a", "b"})
    RETRIES = 3

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        yield Transaction()
