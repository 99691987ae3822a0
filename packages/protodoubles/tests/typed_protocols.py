"""Protocols written as gen-protocol writes them: annotations as strings, their types imported only for
the type checker, and one name that cannot be resolved at run time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Literal, Protocol, overload, runtime_checkable

if TYPE_CHECKING:
    from decimal import Decimal
    from fractions import Fraction
    from xml.dom.minidom import Document

    from not_installed_anywhere import Opaque  # type: ignore[import-not-found]  # a package this machine lacks


@runtime_checkable
class Ledger(Protocol):
    currency: str

    @property
    def rate(self) -> Fraction: ...
    def balance(self, account: str) -> Decimal: ...
    async def fetch(self, account: str) -> list[Decimal]: ...
    def entries(self, account: str) -> AsyncIterator[Decimal]: ...
    def opaque(self) -> Opaque: ...
    def document(self) -> Document: ...
    def post(self, lines: Iterable[Decimal]) -> None: ...
    @overload
    def get(self, key: str) -> str: ...
    @overload
    def get(self, key: str, *, many: Literal[True]) -> list[str]: ...


@runtime_checkable
class Bank(Protocol):
    @property
    def ledger(self) -> Ledger: ...
