"""Misuse of a typed double: errors a test cannot swallow, and a record the pytest plugin checks.

Every misuse error derives from ``BaseException`` (as pytest's own outcomes do), so ``except Exception``,
``pytest.raises(Exception)`` and the like let it through; and every one is recorded when it is made, so
that a test which still swallows it (``except BaseException``, ``gather(..., return_exceptions=True)``, a
task nobody awaits) is failed at teardown by ``protodoubles._internal.plugin``. A test that provokes a misuse on purpose
states it with ``expect_misuse(...)``, which takes the error off the record.
"""

from __future__ import annotations

import re
import threading
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

__all__ = [
    "DoubleAttributeError",
    "DoubleAwaitError",
    "DoubleMisuseError",
    "DoubleSignatureError",
    "expect_misuse",
    "guard_attributes",
    "guard_method",
    "recorded",
    "reset",
]

_LOCK = threading.Lock()
_RECORD: list[DoubleMisuseError] = []


class DoubleMisuseError(BaseException):
    """A double was used in a way its protocol or its configuration does not allow."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        with _LOCK:
            _RECORD.append(self)


class DoubleAttributeError(DoubleMisuseError):
    """An attribute the protocol does not declare was read or written."""


class DoubleSignatureError(DoubleMisuseError):
    """A method was called with arguments its signature does not accept."""


class DoubleAwaitError(DoubleMisuseError):
    """A stream method's result was awaited instead of iterated."""


class DoubleNotConfiguredError(DoubleMisuseError):
    """A double was used in a way the test never configured."""


def recorded() -> list[DoubleMisuseError]:
    """The misuses recorded since the last ``reset()``."""
    with _LOCK:
        return list(_RECORD)


def reset() -> None:
    with _LOCK:
        _RECORD.clear()


def _forget(error: BaseException) -> None:
    with _LOCK:
        _RECORD[:] = [e for e in _RECORD if e is not error]


@contextmanager
def expect_misuse(kind: type[DoubleMisuseError], match: str | None = None) -> Iterator[None]:
    """The block must raise ``kind`` (its message searched for ``match``); the misuse is then expected
    and taken off the record. The error has to reach this block: swallowing it inside does not count."""
    __tracebackhide__ = True  # a failing test shows its own line, not this frame
    try:
        yield
    except kind as error:
        if match is not None and not re.search(match, str(error)):
            raise AssertionError(f"{kind.__name__} raised, but {match!r} is not in: {error}") from None
        _forget(error)
        return
    raise AssertionError(f"expected {kind.__name__}; nothing was raised")


def _is_internal(name: str) -> bool:
    return name.startswith("_")


def guard_attributes(mock: Any, label: str) -> None:
    """Turn the AttributeError of an unknown attribute read or write on a double into a misuse.

    unittest.mock gives every mock its own class, so the guard changes this double only."""
    cls = type(mock)
    read: Callable[[Any, str], Any] = cls.__getattr__
    write: Any = cls.__setattr__  # object.__setattr__ as mypy sees it; NonCallableMock.__setattr__ at run time

    def __getattr__(self: Any, name: str) -> Any:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        try:
            return read(self, name)
        except AttributeError:
            if _is_internal(name):
                raise
            raise DoubleAttributeError(f"{label} has no attribute {name!r}: the protocol does not declare it") from None

    def __setattr__(self: Any, name: str, value: object) -> None:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        try:
            write(self, name, value)
        except AttributeError:
            raise DoubleAttributeError(f"{label}.{name} cannot be set: the protocol does not declare it") from None

    cls.__getattr__ = __getattr__
    cls.__setattr__ = __setattr__  # type: ignore[assignment]  # this mock's own class


def guard_method(method: Any, where: str, *, stream: bool) -> None:
    """Calls off the signature become misuses; a stream method's result cannot be awaited."""
    cls = type(method)
    check: Callable[..., None] = cls._mock_check_sig
    call: Callable[..., Any] = cls.__call__

    def checked(self: Any, *args: object, **kwargs: object) -> None:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        try:
            check(self, *args, **kwargs)
        except TypeError as exc:
            raise DoubleSignatureError(f"{where} called off its signature: {exc}") from None

    cls._mock_check_sig = checked
    if stream:

        def __call__(self: Any, *args: object, **kwargs: object) -> _Stream:
            return _Stream(call(self, *args, **kwargs), where)

        cls.__call__ = __call__


class _Stream:
    """What a stream method of a double returns: iterates as the configured iterator, refuses ``await``."""

    __slots__ = ("_inner", "_where")

    def __init__(self, inner: AsyncIterator[object], where: str) -> None:
        self._inner = inner
        self._where = where

    def __aiter__(self) -> AsyncIterator[object]:
        return self._inner.__aiter__()

    async def __anext__(self) -> object:
        return await self._inner.__anext__()

    def __await__(self) -> Generator[Any, None, NoReturn]:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        raise DoubleAwaitError(f"{self._where} returns an async iterator: iterate it with `async for`, do not await it")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
