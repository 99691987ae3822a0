"""One method of a double: checks each call against the protocol's signature, records it, and answers it.

A method is one of three flavours, read off the protocol: ``sync`` (a plain ``def``), ``async`` (an
``async def``: the call returns a coroutine, answered when awaited) and ``stream`` (a plain ``def``
returning an async iterator: the call returns something to iterate, which refuses ``await``).

What a call answers, first match wins: a stub made by ``when()`` for exactly this call; the next of a
sequence of replies; the configured error, side effect or value; ``None`` for a method declared to
return ``None``; otherwise a ``DoubleNotConfiguredError``.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import AsyncIterator, Callable, Generator
from dataclasses import dataclass
from typing import Any, Literal, NoReturn

from protodoubles._internal.doubles.deep import Overloads, captured
from protodoubles._internal.doubles.misuse import DoubleAwaitError, DoubleNotConfiguredError, DoubleSignatureError
from protodoubles._internal.doubles.values import UNKNOWN, check_value, is_matcher, item_type, resolved

__all__ = ["AsyncMethodDouble", "Call", "Flavor", "MethodDouble", "MethodSpec", "Raise"]

Flavor = Literal["sync", "async", "stream"]
_NOTHING: Any = object()  # no value configured


_SHAPES_KEPT = 4096  # container argument shapes remembered per method


def _shape(value: object, depth: int) -> object:
    """What decides whether a container argument fits its type: its type, and (to a few levels) its keys,
    its first item, and every short string in it (a ``Literal`` such as a message's role)."""
    if isinstance(value, str):
        return value if len(value) <= 32 else str
    if depth == 0 or not isinstance(value, (dict, list, tuple)):
        return value if isinstance(value, (bool, int)) and not isinstance(value, float) else type(value)
    if isinstance(value, dict):
        return (dict, tuple((key, _shape(item, depth - 1)) for key, item in value.items()))
    return (type(value), len(value) > 0, _shape(value[0], depth - 1) if value else None)


@dataclass(frozen=True)
class Call:
    """One recorded call: positional and keyword arguments as written, ``self`` left out."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@dataclass(frozen=True)
class Raise:
    """In a sequence of replies (``returns(a, Raise(error), b)``): this call raises ``error``."""

    error: BaseException


@dataclass(frozen=True)
class MethodSpec:
    """What every double of one protocol knows about one of its methods; made once per protocol."""

    flavor: Flavor
    returns_none: bool
    signature: inspect.Signature  # without self or cls
    overloads: Overloads | None
    returns_annotations: tuple[object, ...] = ()  # the return annotation, one per overload
    module: str = ""  # where the annotations are resolved

    @functools.cached_property
    def _return_types(self) -> tuple[Any, ...]:
        return tuple(resolved(annotation, self.module) for annotation in self.returns_annotations)

    def return_type(self, overload: int = 0) -> Any:
        """The declared return type (for a coroutine method, what awaiting gives), or ``UNKNOWN``."""
        types = self._return_types
        return types[overload] if overload < len(types) else UNKNOWN

    def check_reply(self, value: object, where: str, overload: int = 0) -> None:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        if not isinstance(value, Raise):
            check_value(
                value, self.return_type(overload), f"{where} is declared to return {self._shown(overload)}, and was given {value!r}"
            )

    def check_item(self, item: object, where: str) -> None:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        check_value(item, item_type(self.return_type()), f"{where} is declared to yield from {self._shown(0)}, and was given {item!r}")

    def overload_of(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
        """Which overload a call selects (0 for a method without overloads)."""
        return (self.overloads.select(args, kwargs)[0] or 0) if self.overloads is not None else 0

    def _shown(self, overload: int) -> str:
        annotations = self.returns_annotations
        return str(annotations[overload]) if overload < len(annotations) else "?"

    def check(self, where: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
        """A call must match the signature (one of the overloads), and each argument its declared type."""
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        if self.overloads is not None:
            index, arguments, reasons = self.overloads.selected(args, kwargs)
            if index is None:
                reasons = list(dict.fromkeys(reasons))
                count = len(self.overloads.signatures)
                raise DoubleSignatureError(
                    f"{where} called off its signature: the call matches none of the {count} overloads: {'; '.join(reasons)}"
                )
        else:
            index = 0
            try:
                arguments = self.signature.bind(*args, **kwargs).arguments
            except TypeError as exc:
                raise DoubleSignatureError(f"{where} called off its signature: {exc}") from None
        parameters = self._parameters[index]
        for name, value in arguments.items():
            expected, kind = self._parameter_type(index, name), parameters[name].kind
            if expected is UNKNOWN:
                continue
            values = (
                value if kind == inspect.Parameter.VAR_POSITIONAL else value.values() if kind == inspect.Parameter.VAR_KEYWORD else (value,)
            )
            for each in values:
                if is_matcher(each):
                    continue
                shape = _shape(each, 3) if isinstance(each, (dict, list, tuple)) else None
                if shape is not None and (index, name, shape) in self._fitting:
                    continue  # a value of this very shape fitted before: the TypedDicts of an SDK cost too much to check twice
                check_value(each, expected, f"{where} called with {name}={each!r}", all_items=False)
                if shape is not None and len(self._fitting) < _SHAPES_KEPT:
                    self._fitting.add((index, name, shape))
        return index

    @functools.cached_property
    def _parameters(self) -> tuple[typing.Mapping[str, inspect.Parameter], ...]:
        """Per overload (or the one signature): its parameters."""
        overloads = self.overloads
        signatures = [overloads.signature(i) for i in range(len(overloads.signatures))] if overloads is not None else [self.signature]
        return tuple(signature.parameters for signature in signatures)

    @functools.cached_property
    def _resolved(self) -> dict[tuple[int, str], Any]:
        return {}

    @functools.cached_property
    def _fitting(self) -> set[tuple[int, str, object]]:
        """(overload, parameter, shape) of container arguments that passed the check."""
        return set()

    def _parameter_type(self, overload: int, name: str) -> Any:
        """A parameter's type, resolved on the first call that passes it (resolving imports what it names)."""
        key = (overload, name)
        found = self._resolved.get(key, _NOTHING)
        if found is _NOTHING:
            found = self._resolved[key] = resolved(self._parameters[overload][name].annotation, self.module)
        return found

    def normalized(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """A call as assertions compare it: bound to the signature (``f(1)`` is ``f(x=1)``), or as written
        for an overloaded method."""
        if self.overloads is not None:
            return args, kwargs
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError:
            return args, kwargs
        return bound.args, bound.kwargs


class MethodDouble:
    """The callable a double hands out for one of its methods: one per method per double."""

    __slots__ = ("_effect", "_replies", "_returns", "_served", "await_count", "calls", "spec", "stubs", "where")

    def __init__(self, spec: MethodSpec, where: str) -> None:
        self.spec = spec
        self.where = where
        self.calls: list[Call] = []
        self.await_count = 0
        self.stubs: list[tuple[tuple[Any, ...], dict[str, Any], Callable[[], Any]]] = []
        self._returns: Any = _NOTHING
        self._effect: Any = None  # an error to raise, or a function to call
        self._replies: tuple[Any, ...] = ()
        self._served = 0

    def __repr__(self) -> str:
        return f"<method {self.where}>"

    @property
    def __signature__(self) -> inspect.Signature:
        """What ``inspect.signature`` reports: the protocol's, ``self`` left out, as on a bound method."""
        return self.spec.signature

    # configuration, through the typed handles of protodoubles._internal.doubles.double
    def configure(self, *, returns: Any = _NOTHING, effect: Any = None, replies: tuple[Any, ...] = ()) -> None:
        self._returns, self._effect, self._replies, self._served = returns, effect, replies, 0

    def reset(self) -> None:
        self.calls.clear()
        self.await_count = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        overload = self.spec.check(self.where, args, kwargs)
        captured(self, args, kwargs)  # inside when(): records the call and stops here
        self.calls.append(Call(args, kwargs))
        flavor = self.spec.flavor
        if flavor == "sync":
            return self._configured(self._answer(args, kwargs, overload))
        if flavor == "async":
            return self._awaited(args, kwargs, overload)
        stream = self._answer(args, kwargs, overload)
        return _Stream(_UnconfiguredStream(self.where) if stream is _NOTHING else stream, self.where)

    async def _awaited(self, args: tuple[Any, ...], kwargs: dict[str, Any], overload: int) -> Any:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        self.await_count += 1
        value = self._configured(self._answer(args, kwargs, overload))
        if inspect.isawaitable(value) and self._effect is not None and not isinstance(self._effect, BaseException):
            return await value  # an async side effect
        return value

    def _answer(self, args: tuple[Any, ...], kwargs: dict[str, Any], overload: int) -> Any:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        for stub_args, stub_kwargs, outcome in self.stubs:
            if stub_args == args and stub_kwargs == kwargs:
                return outcome()
        effect = self._effect
        if isinstance(effect, BaseException):
            raise effect  # raises() answers every call
        if self._replies:
            return self._next_reply(overload)
        if effect is not None:
            self._first_overload_only(overload)
            return effect(*args, **kwargs)
        if self._returns is not _NOTHING:
            self._first_overload_only(overload)
            return self._returns
        return None if self.spec.returns_none else _NOTHING

    def _configured(self, value: Any) -> Any:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        if value is _NOTHING:
            raise DoubleNotConfiguredError(f"{self.where} was called but never configured: use mock_of(...).returns(...)")
        return value

    def _next_reply(self, overload: int) -> Any:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        self._first_overload_only(overload)
        if self._served >= len(self._replies):
            raise DoubleNotConfiguredError(
                f"{self.where} was called {self._served + 1} times, but only {len(self._replies)} replies were configured"
            )
        reply = self._replies[self._served]
        self._served += 1
        if isinstance(reply, Raise):
            raise reply.error
        return reply

    def _first_overload_only(self, overload: int) -> None:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        overloads = self.spec.overloads
        if overloads is not None and overload:
            raise DoubleNotConfiguredError(
                f"{self.where} was called as its overload {overload + 1} (-> {overloads.returns[overload]}); returns() and side_effect() "
                f"answer overload 1 only (-> {overloads.returns[0]}): stub this call with when(lambda: ...).returns(...)"
            )


async def _coroutine_template() -> None:
    """Lends its code object to ``AsyncMethodDouble``, so that ``inspect.iscoroutinefunction`` says True."""


class AsyncMethodDouble(MethodDouble):
    """A coroutine method's double: looks like a coroutine function to ``inspect`` and ``asyncio``,
    as the real bound method does, for code under test that asks before it awaits."""

    __slots__ = ()
    __code__ = _coroutine_template.__code__
    __defaults__ = None
    __kwdefaults__ = None
    __annotations__: dict[str, Any] = {}  # read by inspect only, never written

    @property
    def __name__(self) -> str:
        return self.where.rsplit(".", 1)[-1].removesuffix("()")


class _UnconfiguredStream:
    """What an unconfigured stream method returns: any read of it is the misuse."""

    __slots__ = ("_where",)

    def __init__(self, where: str) -> None:
        self._where = where

    def __aiter__(self) -> _UnconfiguredStream:
        return self

    async def __anext__(self) -> NoReturn:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        raise DoubleNotConfiguredError(f"{self._where} was iterated but never configured: use mock_of(...).yields(...)")


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
