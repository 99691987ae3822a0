"""One small class per generator defect that a second sweep, over 234 classes held out from the first one
and from the corpus, found (issue 9); tests/contract/test_gen_defects.py reads them."""

from __future__ import annotations

import functools
from dataclasses import InitVar, dataclass
from typing import Generic, Literal, TypeVar, overload

from tests.contract.samples.reexports import Self as ReSelf

T_co = TypeVar("T_co", covariant=True)
K = TypeVar("K")


class Tokens:
    """``@functools.cached_property``, spelled through the module."""

    @functools.cached_property
    def special(self) -> set[str]:
        return set()


class Tipped:
    def __init__(self) -> None:
        self._tip: str | None = None

    @property
    def tip(self) -> str | None:
        return self._tip

    @tip.setter
    def tip(self, tip: str | None) -> None:
        self._tip = tip


class Button(Tipped):
    """``__init__`` assigns an inherited property, through its setter."""

    def __init__(self, tip: str | None = None) -> None:
        super().__init__()
        self.tip = tip


class SelectBase:
    pass


SB = TypeVar("SB", bound=SelectBase)


class Grouping(SelectBase, Generic[SB]):
    def __init__(self, element: SB) -> None:
        self.element = element


class Select(SelectBase):
    """``Self`` through a re-export, given to a class bounded by a base of this one."""

    def self_group(self) -> Grouping[ReSelf]:
        return Grouping(self)


class Engine(Generic[T_co]):
    class Comparator(Generic[K]):
        def expr(self) -> K:
            raise NotImplementedError


class Column:
    """A class nested in a generic class, subscripted (``TypeEngine.Comparator[_T]``)."""

    def comparator(self) -> Engine.Comparator[int]:
        raise NotImplementedError


class Finder:
    """An overlap the source acknowledges on its overload, as typeshed does."""

    @overload
    def find(self, path: str) -> int: ...  # type: ignore[overload-overlap]  # as typeshed writes it
    @overload
    def find(self, path: object) -> str: ...
    def find(self, path: object) -> int | str:
        return 0


AlignMethod = Literal["top", "bottom"]


class Aligned:
    """An attribute assigned an optional Literal-typed parameter."""

    def __init__(self, vertical: AlignMethod | None = None) -> None:
        self.vertical = vertical


@dataclass
class Decoded:
    """Dataclass ``InitVar`` fields: parameters of ``__init__``, no attributes."""

    encoding: InitVar[str] = "utf-8"
    size: int = 0

    def __post_init__(self, encoding: str) -> None:
        self.size = len(encoding)
