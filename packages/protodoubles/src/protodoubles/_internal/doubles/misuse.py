"""Misuse of a typed double: errors a test cannot swallow, and a record the pytest plugin checks.

Every misuse error derives from ``BaseException`` (as pytest's own outcomes do), so ``except Exception``,
``pytest.raises(Exception)`` and the like let it through; and every one is recorded when it is made, so
that a test which still swallows it (``except BaseException``, ``gather(..., return_exceptions=True)``, a
task nobody awaits) is failed at teardown by ``protodoubles._internal.plugin``. A test that provokes a misuse on purpose
states it with ``expect_misuse(...)``, which takes the error off the record.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = [
    "TEST_FILES",
    "DoubleAttributeError",
    "DoubleAwaitError",
    "DoubleMisuseError",
    "DoubleNotConfiguredError",
    "DoubleSignatureError",
    "DoubleTypeError",
    "expect_misuse",
    "forget",
    "ledger",
    "recorded",
    "reset",
    "undeclared_read",
    "undeclared_write",
]

_LOCK = threading.Lock()
_RECORD: list[DoubleMisuseError] = []  # what recorded() shows, and reset() clears
_LEDGER: list[DoubleMisuseError] = []  # what the pytest plugin reads: only expect_misuse() takes an error off it


class DoubleMisuseError(BaseException):
    """A double was used in a way its protocol or its configuration does not allow."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        with _LOCK:
            _RECORD.append(self)
            _LEDGER.append(self)


class DoubleAttributeError(DoubleMisuseError):
    """An attribute the protocol does not declare was read or written."""


class DoubleSignatureError(DoubleMisuseError):
    """A method was called with arguments its signature does not accept."""


class DoubleAwaitError(DoubleMisuseError):
    """A stream method's result was awaited instead of iterated."""


class DoubleTypeError(DoubleMisuseError):
    """A double was given a value (to return, yield or hold) of a type its protocol does not declare."""


class DoubleNotConfiguredError(DoubleMisuseError):
    """A double was used in a way the test never configured."""


def recorded() -> list[DoubleMisuseError]:
    """The misuses recorded since the last ``reset()``."""
    with _LOCK:
        return list(_RECORD)


def reset() -> None:
    """Clear what ``recorded()`` shows. The plugin's own ledger is not cleared: a test cannot excuse its
    misuses by resetting; only ``expect_misuse`` takes one off."""
    with _LOCK:
        _RECORD.clear()


def ledger(*, clear: bool) -> list[DoubleMisuseError]:
    """The misuses not expected since the ledger was last cleared (the plugin clears it per test)."""
    with _LOCK:
        found = list(_LEDGER)
        if clear:
            _LEDGER.clear()
            _RECORD.clear()
        return found


def forget(error: BaseException) -> None:
    with _LOCK:
        _RECORD[:] = [e for e in _RECORD if e is not error]
        _LEDGER[:] = [e for e in _LEDGER if e is not error]


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
        forget(error)
        return
    raise AssertionError(f"expected {kind.__name__}; nothing was raised")


# pytest's default ``python_files`` and conftest.py; the plugin puts the session's own patterns here
TEST_FILES: list[str] = ["test_*.py", "*_test.py", "conftest.py"]
_IS_TEST: dict[str, bool] = {}


def _is_test_code(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs a test file, as pytest names test files (not the code under test)."""
    if frame is None:
        return False
    filename = frame.f_code.co_filename
    found = _IS_TEST.get(filename)
    if found is None:
        name = os.path.basename(filename)
        found = _IS_TEST[filename] = any(fnmatch.fnmatch(name, pattern) for pattern in TEST_FILES)
    return found


def undeclared_read(label: str, name: str, frame: FrameType | None, target: object, declared: frozenset[str]) -> BaseException:
    """The error for reading ``name``, which the protocol does not declare, from ``frame``.

    Code under test gets the real class's answer, a plain AttributeError, so ``hasattr``,
    ``getattr(..., default)`` and ``except AttributeError`` behave as in production; unless the name is a
    near miss of a declared one (``message`` for ``messages``), which is drift, not a probe. A test file
    reading it is drift: a misuse, recorded even when the test catches it. Private and dunder names
    (which libraries probe) are always the plain answer."""
    if name.startswith("_"):
        return AttributeError(f"{label} has no attribute {name!r}", name=name, obj=target)
    if not _is_test_code(frame):
        near = difflib.get_close_matches(name, declared, n=1, cutoff=0.75)
        if not near:
            return AttributeError(f"{label} has no attribute {name!r}", name=name, obj=target)
        return DoubleAttributeError(f"{label} has no attribute {name!r}: the protocol declares {near[0]!r}")
    return DoubleAttributeError(f"{label} has no attribute {name!r}: the protocol does not declare it")


def undeclared_write(label: str, name: str) -> BaseException:
    """The error for writing ``name``, which the protocol does not declare: always a misuse."""
    return DoubleAttributeError(f"{label}.{name} cannot be set: the protocol does not declare it")
