"""A class with every shape a protocol must mirror; the generator tests read it statically."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import ClassVar, Generic, TypeVar, overload

from tests.contract.samples.values import Reading

T = TypeVar("T")
S = TypeVar("S", bound="Sensor[int]")


class Base:
    """A base class whose public members are inherited."""

    unit: str = "celsius"

    def describe(self, verbose: bool = False) -> str:
        return self.unit if verbose else ""


class Sensor(Base, Generic[T]):
    """Reads values of type T.

    More text that the protocol leaves out.
    """

    registry: ClassVar[dict[str, int]] = {}
    label: str

    def __init__(self, label: str, first: T) -> None:
        self.label = label
        self.latest = first
        self._hidden = 0

    def calibrate(self, offset, /, scale: float = 1.0, *extra: int, strict: bool, **options: str):  # type: ignore[no-untyped-def]  # unannotated on purpose
        self.calibrated_at: float = 0.0
        self.mode = "manual"

    async def read(self, *, timeout: float | None = None) -> Reading:
        return Reading(0.0)

    async def watch(self, every: float) -> AsyncIterator[T]:
        async def helper() -> None:
            return None

        await helper()
        yield self.latest

    def history(self) -> Iterator[T]:
        yield self.latest

    @overload
    def get(self, index: int) -> T: ...
    @overload
    def get(self, index: slice) -> list[T]: ...
    def get(self, index: int | slice) -> T | list[T]:
        return self.latest if isinstance(index, int) else [self.latest]

    @property
    def name(self) -> str:
        return self.label

    @name.setter
    def name(self, value: str) -> None:
        self.label = value

    @cached_property
    def serial(self) -> int:
        return 7

    @classmethod
    def create(cls, label: str, first: T) -> Sensor[T]:
        return cls(label, first)

    @staticmethod
    def version() -> str:
        return "1"

    def clone(self: S) -> S:
        return self

    @contextmanager
    def paused(self) -> Iterator[Sensor[T]]:
        yield self

    async def __aenter__(self) -> Sensor[T]:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def __len__(self) -> int:
        return 1

    def __repr__(self) -> str:
        return "Sensor()"

    reset = calibrate
