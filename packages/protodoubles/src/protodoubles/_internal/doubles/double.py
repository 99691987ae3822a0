"""Typed test doubles of protocols, and the typed handles that configure and check their methods.

``double(Proto)`` gives an object that mypy sees as ``Proto`` and that at run time refuses what the
protocol does not allow (see ``protodoubles._internal.doubles.shape`` for how it is made):

- a test that reads or writes an attribute the protocol does not declare, or calls a method off its
  signature, makes a misuse; code under test probing with ``hasattr``/``getattr(..., default)`` gets
  the real class's answer;
- attributes the protocol only declares (``name: str``) exist, unset until the test assigns them;
- a stream method (a plain ``def`` returning ``AsyncIterator``/``AsyncGenerator``) returns a real async
  iterator, so ``await double.stream()`` is a misuse, and an unconfigured one fails when iterated;
- any other method that returns something fails until configured;
- a member typed with another protocol is a child double, made on first access.

``mock_of(double.method)`` gives a handle whose API mypy checks against the method's own signature.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, Generic, ParamSpec, Self, TypeVar, overload

from typing_extensions import TypeForm

from protodoubles._internal.doubles.deep import Stub, when
from protodoubles._internal.doubles.method import Call, MethodDouble, Raise
from protodoubles._internal.doubles.misuse import DoubleAttributeError, DoubleNotConfiguredError
from protodoubles._internal.doubles.shape import build, data_members
from protodoubles._internal.doubles.values import ANY

__all__ = [
    "ANY",
    "AsyncHandle",
    "Call",
    "DoubleNotConfiguredError",
    "Handle",
    "Raise",
    "Recorded",
    "StreamHandle",
    "Stub",
    "double",
    "mock_of",
    "set_value",
    "when",
]

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")
Y = TypeVar("Y")


def double(proto: TypeForm[T]) -> T:
    """A strict double of a protocol class, typed as the protocol."""
    if not (isinstance(proto, type) and getattr(proto, "_is_protocol", False)):
        raise TypeError(f"double() takes a Protocol class, got {proto!r}")
    return build(proto, f"double({proto.__name__})")  # type: ignore[no-any-return]  # the double stands for the protocol


def set_value(target: object, name: str, value: object) -> None:
    """Give a double's property (read-only for mypy) or declared attribute a value."""
    declared = data_members(target)
    if declared is None:
        raise TypeError(f"set_value() takes a double(...), got {target!r}")
    if name not in declared:
        raise DoubleAttributeError(f"{name!r} is not a property or attribute of this double; it has: {sorted(declared)}")
    setattr(target, name, value)


def _shown(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    return f"{name}({', '.join([*map(repr, args), *(f'{k}={v!r}' for k, v in kwargs.items())])})"


class Recorded(Generic[P]):
    """The calls of one method of a double, and assertions on them typed by its signature."""

    def __init__(self, method: MethodDouble) -> None:
        self._method = method

    def _fail(self, message: str) -> AssertionError:
        calls = "\n".join(f"  {_shown('call', c.args, c.kwargs)}" for c in self._method.calls) or "  (none)"
        return AssertionError(f"{self._method.where}: {message}\ncalls made:\n{calls}")

    def _matches(self, call: Call, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        spec = self._method.spec
        return spec.normalized(call.args, call.kwargs) == spec.normalized(args, kwargs)

    def assert_called_once_with(self, *args: P.args, **kwargs: P.kwargs) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        calls = self._method.calls
        if len(calls) != 1 or not self._matches(calls[0], args, kwargs):
            raise self._fail(f"expected one call, {_shown('call', args, kwargs)}")

    def assert_called_with(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """The last call had exactly these arguments."""
        __tracebackhide__ = True  # a failing test shows its own line
        calls = self._method.calls
        if not calls or not self._matches(calls[-1], args, kwargs):
            raise self._fail(f"expected the last call to be {_shown('call', args, kwargs)}")

    def assert_any_call(self, *args: P.args, **kwargs: P.kwargs) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        if not any(self._matches(call, args, kwargs) for call in self._method.calls):
            raise self._fail(f"expected a call {_shown('call', args, kwargs)}")

    def assert_last_call_has(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """The last call had these arguments, among others. A misspelt keyword is a mypy error; a required
        parameter the test does not check takes ``ANY``."""
        __tracebackhide__ = True  # a failing test shows its own line
        calls = self._method.calls
        if not calls:
            raise self._fail(f"expected a call with {_shown('call', args, kwargs)}")
        spec = self._method.spec
        last = calls[-1]
        signature = spec.signature if spec.overloads is None else spec.overloads.signature(spec.overload_of(last.args, last.kwargs))
        try:
            actual = signature.bind(*last.args, **last.kwargs).arguments
            expected = signature.bind_partial(*args, **kwargs).arguments
        except TypeError as exc:
            raise self._fail(f"cannot compare by parameter: {exc}") from None
        wrong = [
            f"{name}={actual.get(name, '(not given)')!r}, expected {value!r}"
            for name, value in expected.items()
            if actual.get(name, _NOT_GIVEN) != value
        ]
        if wrong:
            raise self._fail("the last call differs: " + "; ".join(wrong))

    def assert_not_called(self) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        if self._method.calls:
            raise self._fail("expected no call")

    @property
    def call_count(self) -> int:
        return len(self._method.calls)

    @property
    def calls(self) -> list[Call]:
        return list(self._method.calls)

    def reset(self) -> None:
        """Forget the calls made; the configuration stays."""
        self._method.reset()


_NOT_GIVEN: Any = object()


class _Returning(Recorded[P], Generic[P, R]):
    def returns(self, value: R | Raise, /, *more: R | Raise) -> Self:
        """Answer every call with ``value``; or, given several, answer the calls in that order (a
        ``Raise(error)`` among them raises), and fail a call beyond the last."""
        __tracebackhide__ = True  # a failing test shows its own line
        for reply in (value, *more):
            self._method.spec.check_reply(reply, self._method.where)
        if more:
            self._method.configure(replies=(value, *more))
        elif isinstance(value, Raise):
            self._method.configure(effect=value.error)
        else:
            self._method.configure(returns=value)
        return self

    def raises(self, error: BaseException) -> Self:
        self._method.configure(effect=error)
        return self


class Handle(_Returning[P, R]):
    """A synchronous method of a double."""

    def side_effect(self, function: Callable[P, R]) -> Self:
        self._method.configure(effect=function)
        return self


class AsyncHandle(_Returning[P, R]):
    """A coroutine method of a double: configured with the awaited value's type."""

    def side_effect(self, function: Callable[P, Awaitable[R]] | Callable[P, R]) -> Self:
        self._method.configure(effect=function)
        return self

    def assert_awaited_once_with(self, *args: P.args, **kwargs: P.kwargs) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        if self._method.await_count != 1:
            raise self._fail(f"expected one await, it was awaited {self._method.await_count} times")
        self.assert_called_once_with(*args, **kwargs)

    def assert_awaited_with(self, *args: P.args, **kwargs: P.kwargs) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        if not self._method.await_count:
            raise self._fail("expected an await, it was never awaited")
        self.assert_called_with(*args, **kwargs)

    def assert_not_awaited(self) -> None:
        __tracebackhide__ = True  # a failing test shows its own line
        if self._method.await_count:
            raise self._fail(f"expected no await, it was awaited {self._method.await_count} times")

    @property
    def await_count(self) -> int:
        return self._method.await_count


class StreamHandle(Recorded[P], Generic[P, Y]):
    """A stream method of a double: each call returns a fresh real async iterator."""

    def yields(self, *items: Y, error: BaseException | None = None) -> Self:
        """Yield ``items``; then raise ``error`` if given (a stream that breaks after some items)."""
        __tracebackhide__ = True  # a failing test shows its own line
        for item in items:
            self._method.spec.check_item(item, self._method.where)

        async def stream() -> AsyncIterator[Y]:
            for item in items:
                yield item
            if error is not None:
                raise error

        self._method.configure(effect=lambda *args, **kwargs: stream())
        return self

    def raises(self, error: BaseException) -> Self:
        """Fail on the first iteration, as a real async generator does."""
        return self.yields(error=error)

    def side_effect(self, function: Callable[P, AsyncIterator[Y]]) -> Self:
        self._method.configure(effect=function)
        return self


@overload
def mock_of(method: Callable[P, Coroutine[Any, Any, R]]) -> AsyncHandle[P, R]: ...  # type: ignore[overload-overlap]  # first match wins: a coroutine method gets the async handle
@overload
def mock_of(method: Callable[P, AsyncIterator[Y]]) -> StreamHandle[P, Y]: ...  # type: ignore[overload-overlap]  # first match wins: a stream method gets the stream handle
@overload
def mock_of(method: Callable[P, R]) -> Handle[P, R]: ...
def mock_of(method: Callable[..., Any]) -> AsyncHandle[Any, Any] | StreamHandle[Any, Any] | Handle[Any, Any]:
    """The typed handle of one method of a ``double(...)``."""
    if not isinstance(method, MethodDouble):
        raise TypeError(f"mock_of() takes a method of a double(...), got {method!r}")
    flavor = method.spec.flavor
    if flavor == "stream":
        return StreamHandle(method)
    return AsyncHandle(method) if flavor == "async" else Handle(method)
