"""Typed test doubles built on ``create_autospec``, with what plain autospec gets wrong fixed.

``double(Proto)`` gives an object that mypy sees as ``Proto`` and that at run time is a strict autospec:
unknown attributes and calls off a signature fail. On top of autospec:

- attributes the protocol only declares (``name: str``) exist, unset until the test assigns them;
- a stream method (a plain ``def`` returning ``AsyncIterator``/``AsyncGenerator``) returns a real async
  iterator, so ``await double.stream()`` is a TypeError, and an unconfigured one raises
  ``DoubleNotConfiguredError`` when iterated instead of yielding nothing;
- any other method that returns something raises ``DoubleNotConfiguredError`` until configured;
- a member typed with another protocol is a child double, built on first access (``protodoubles._internal.doubles.deep``).

``mock_of(double.method)`` gives a handle whose API mypy checks against the method's own signature.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Generic, NoReturn, ParamSpec, Self, TypeVar, overload
from unittest.mock import create_autospec

from typing_extensions import TypeForm

from protodoubles._internal.doubles import deep
from protodoubles._internal.doubles.deep import Stub, when
from protodoubles._internal.doubles.misuse import DoubleNotConfiguredError, guard_attributes, guard_method
from protodoubles._internal.members import function_of, protocol_members, returns_async_iterator

__all__ = ["AsyncHandle", "Call", "DoubleNotConfiguredError", "Handle", "StreamHandle", "Stub", "double", "mock_of", "set_value", "when"]

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")
Y = TypeVar("Y")

_KINDS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()  # method mock -> sync/async/stream
_DECLARED: weakref.WeakKeyDictionary[Any, frozenset[str]] = weakref.WeakKeyDictionary()  # double -> its data members


class _Unset:
    """The value of a declared attribute until the test assigns one: any use of it fails clearly."""

    __slots__ = ("_where",)
    _where: str

    def __init__(self, where: str) -> None:
        object.__setattr__(self, "_where", where)

    def _fail(self, *args: object, **kwargs: object) -> NoReturn:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        raise DoubleNotConfiguredError(f"{self._where} was never set: assign it on the double first")

    # every use fails alike
    __getattr__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = __bool__ = _fail
    __str__ = __format__ = __iter__ = __aiter__ = __len__ = __contains__ = __getitem__ = __call__ = _fail
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __float__ = __int__ = __index__ = _fail

    def __repr__(self) -> str:
        return f"<unset {self._where}>"


class _UnconfiguredStream:
    def __init__(self, where: str) -> None:
        self._where = where

    def __aiter__(self) -> NoReturn:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        raise DoubleNotConfiguredError(f"{self._where} was iterated but never configured: use mock_of(...).yields(...)")


def _is_stream(function: Any) -> bool:
    return not inspect.iscoroutinefunction(function) and returns_async_iterator(function)


def _returns_none(function: Any) -> bool:
    return getattr(function, "__annotations__", {}).get("return") in ("None", None.__class__, None)


def _fail_unconfigured(where: str) -> Callable[..., NoReturn]:
    def fail(*args: object, **kwargs: object) -> NoReturn:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        raise DoubleNotConfiguredError(f"{where} was called but never configured: use mock_of(...).returns(...)")

    return fail


def double(proto: TypeForm[T]) -> T:
    """A strict autospec double of a protocol class, typed as the protocol."""
    if not (isinstance(proto, type) and getattr(proto, "_is_protocol", False)):
        raise TypeError(f"double() takes a Protocol class, got {proto!r}")
    return _build(proto, f"double({proto.__name__})")  # type: ignore[no-any-return]  # the double stands for the protocol


def _build(proto: type, label: str) -> Any:
    members = protocol_members(proto)
    data = [m.name for m in members.values() if m.kind != "method"]
    placeholders: dict[str, object] = {m.name: None for m in members.values() if m.kind == "attribute"}
    overloaded = deep.overloaded_methods(proto, members)
    placeholders.update(overloaded)
    spec = type(f"{proto.__name__}Spec", (proto,), placeholders)
    mock = create_autospec(spec, spec_set=True, instance=True)
    children = deep.child_protocols(proto, members)
    for name in data:
        if name not in children:
            setattr(mock, name, _Unset(f"{label}.{name}"))
    deep.install_children(mock, children, label, _build)
    for member in members.values():
        if member.kind != "method":
            continue
        function = overloaded.get(member.name) or function_of(member.value)
        method = getattr(mock, member.name)
        where = f"{label}.{member.name}()"
        overloads = deep.overloads_of(proto, member.name) if member.name in overloaded else []
        deep.prepare_method(method, overloads, takes_self=not isinstance(member.value, staticmethod), where=where)
        guard_method(method, where, stream=_is_stream(function))
        if _is_stream(function):
            _KINDS[method] = "stream"
            method.side_effect = lambda *a, _where=where, **k: _UnconfiguredStream(_where)
        else:
            _KINDS[method] = "async" if inspect.iscoroutinefunction(function) else "sync"
            if _returns_none(function):
                method.return_value = None
            else:
                method.side_effect = _fail_unconfigured(where)
    _DECLARED[mock] = frozenset(data)
    guard_attributes(mock, label)
    return mock


def set_value(target: object, name: str, value: object) -> None:
    """Give a double's property (read-only for mypy) or declared attribute a value."""
    declared = _DECLARED.get(target)
    if declared is None:
        raise TypeError(f"set_value() takes a double(...), got {target!r}")
    if name not in declared:
        raise AttributeError(f"{name!r} is not a property or attribute of this double; it has: {sorted(declared)}")
    setattr(target, name, value)


def _asserted(assertion: Callable[..., object], *args: object, **kwargs: object) -> None:
    """Run one of mock's assertions; its failure is raised from here, so that no frame of ``unittest.mock``
    stands between the test's line and the message."""
    __tracebackhide__ = True
    try:
        assertion(*args, **kwargs)
    except AssertionError as exc:
        raise AssertionError(str(exc)) from None


@dataclass(frozen=True)
class Call:
    """One recorded call: positional and keyword arguments, ``self`` left out."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any]


class _Recorded(Generic[P]):
    def __init__(self, mock: Any) -> None:
        self._mock = mock

    def assert_called_once_with(self, *args: P.args, **kwargs: P.kwargs) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        _asserted(self._mock.assert_called_once_with, *args, **kwargs)

    def assert_called_with(self, *args: P.args, **kwargs: P.kwargs) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        _asserted(self._mock.assert_called_with, *args, **kwargs)

    def assert_any_call(self, *args: P.args, **kwargs: P.kwargs) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        _asserted(self._mock.assert_any_call, *args, **kwargs)

    def assert_not_called(self) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        _asserted(self._mock.assert_not_called)

    @property
    def call_count(self) -> int:
        return int(self._mock.call_count)

    @property
    def calls(self) -> list[Call]:
        return [Call(tuple(c.args), dict(c.kwargs)) for c in self._mock.call_args_list]

    def reset(self) -> None:
        self._mock.reset_mock()


class _Returning(_Recorded[P], Generic[P, R]):
    def returns(self, value: R) -> Self:
        self._mock.side_effect = None
        self._mock.return_value = value
        return self

    def raises(self, error: BaseException) -> Self:
        self._mock.side_effect = error
        return self


class Handle(_Returning[P, R]):
    """A synchronous method of a double."""

    def side_effect(self, function: Callable[P, R]) -> Self:
        self._mock.side_effect = function
        return self


class AsyncHandle(_Returning[P, R]):
    """A coroutine method of a double: configured with the awaited value's type."""

    def side_effect(self, function: Callable[P, Awaitable[R]] | Callable[P, R]) -> Self:
        self._mock.side_effect = function
        return self

    def assert_awaited_once_with(self, *args: P.args, **kwargs: P.kwargs) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        _asserted(self._mock.assert_awaited_once_with, *args, **kwargs)

    def assert_awaited_with(self, *args: P.args, **kwargs: P.kwargs) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        _asserted(self._mock.assert_awaited_with, *args, **kwargs)

    def assert_not_awaited(self) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        _asserted(self._mock.assert_not_awaited)

    @property
    def await_count(self) -> int:
        return int(self._mock.await_count)


class StreamHandle(_Recorded[P], Generic[P, Y]):
    """A stream method of a double: each call returns a fresh real async iterator."""

    def yields(self, *items: Y, error: BaseException | None = None) -> Self:
        """Yield ``items``; then raise ``error`` if given (a stream that breaks after some items)."""

        async def stream() -> AsyncIterator[Y]:
            for item in items:
                yield item
            if error is not None:
                raise error

        self._mock.side_effect = lambda *args, **kwargs: stream()
        return self

    def raises(self, error: BaseException) -> Self:
        """Fail on the first iteration, as a real async generator does."""
        return self.yields(error=error)

    def side_effect(self, function: Callable[P, AsyncIterator[Y]]) -> Self:
        self._mock.side_effect = function
        return self


@overload
def mock_of(method: Callable[P, Coroutine[Any, Any, R]]) -> AsyncHandle[P, R]: ...  # type: ignore[overload-overlap]  # first match wins: a coroutine method gets the async handle
@overload
def mock_of(method: Callable[P, AsyncIterator[Y]]) -> StreamHandle[P, Y]: ...  # type: ignore[overload-overlap]  # first match wins: a stream method gets the stream handle
@overload
def mock_of(method: Callable[P, R]) -> Handle[P, R]: ...
def mock_of(method: Callable[..., Any]) -> AsyncHandle[Any, Any] | StreamHandle[Any, Any] | Handle[Any, Any]:
    """The typed handle of one method of a ``double(...)``."""
    try:
        kind = _KINDS.get(method)
    except TypeError:
        kind = None
    if kind is None:
        raise TypeError(f"mock_of() takes a method of a double(...), got {method!r}")
    if kind == "stream":
        return StreamHandle(method)
    return AsyncHandle(method) if kind == "async" else Handle(method)
