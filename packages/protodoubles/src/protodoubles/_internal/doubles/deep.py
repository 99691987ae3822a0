"""Overloaded methods and ``when()``: what a double adds for methods with more than one signature.

- An overloaded method accepts a call that matches one of its overloads (``Literal`` values such as
  ``stream=True`` count), and its calls are recorded as written. ``returns``/``side_effect`` answer only
  calls of the first overload, the one mypy checks them against.
- ``when(lambda: client.chat.completions.create(..., stream=True)).returns(stream)`` stubs one call.
  mypy resolves the overload of the call inside the lambda, so the value is checked against *that*
  overload's return type; at run time the lambda only records the call, nothing is called.
"""

from __future__ import annotations

import ast
import inspect
import typing
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, overload

__all__ = ["Overloads", "Stub", "captured", "overloads_of", "when"]

R = TypeVar("R")

_RECORDING: ContextVar[bool] = ContextVar("_RECORDING", default=False)


class _Stubbed(Protocol):
    """What ``Stub`` needs of a double's method (``protodoubles._internal.doubles.method.MethodDouble``)."""

    calls: Any
    stubs: list[tuple[tuple[Any, ...], dict[str, Any], Callable[[], Any]]]
    where: str

    @property
    def spec(self) -> Any: ...  # its MethodSpec: checks a stubbed value against the selected overload


class _Captured(BaseException):
    """Raised by a double's method while ``when()`` records a call: carries the method and its arguments."""

    def __init__(self, method: _Stubbed, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        super().__init__("a call recorded by when()")
        self.method, self.args, self.kwargs = method, args, kwargs


def captured(method: _Stubbed, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Inside ``when()``: stop the call here and hand it to ``when()``. Elsewhere: nothing."""
    if _RECORDING.get():
        raise _Captured(method, args, kwargs)


def overloads_of(proto: type, name: str) -> list[Any]:
    """The ``@overload`` definitions of method ``name`` of ``proto`` (the class holds only a dummy)."""
    owner = next((k for k in proto.__mro__ if name in vars(k)), proto)
    where = type("_Where", (), {"__module__": owner.__module__, "__qualname__": f"{owner.__qualname__}.{name}"})
    return list(typing.get_overloads(where))  # looked up by module and qualified name


def overloads_for(overloads: list[Any], *, takes_self: bool) -> Overloads:
    return Overloads(
        [inspect.signature(o) for o in overloads],
        [{n: v for n, a in o.__annotations__.items() if n != "return" and (v := _literals(a)) is not None} for o in overloads],
        [str(o.__annotations__.get("return", "?")) for o in overloads],
        takes_self,
    )


@dataclass(frozen=True)
class Overloads:
    """The overloads of one method: signatures, and the values each admits for its ``Literal`` parameters."""

    signatures: list[inspect.Signature]
    literals: list[dict[str, tuple[object, ...]]]
    returns: list[str]
    takes_self: bool

    def select(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[int | None, list[str]]:
        """The first overload the call matches, as a type checker picks it; else the reasons."""
        index, _, reasons = self.selected(args, kwargs)
        return index, reasons

    def selected(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[int | None, dict[str, Any], list[str]]:
        """``select``, with the arguments as bound to that overload (``self`` left out)."""
        reasons: list[str] = []
        for index, signature in enumerate(self.signatures):
            try:
                bound = signature.bind(*((None,) if self.takes_self else ()), *args, **kwargs)
            except TypeError as exc:
                reasons.append(f"overload {index + 1}: {exc}")
                continue
            wrong = [
                f"{name}={value!r} is not one of {self.literals[index][name]}"
                for name, value in bound.arguments.items()
                if name in self.literals[index] and _literal_able(value) and not _among(value, self.literals[index][name])
            ]
            if not wrong:
                arguments = dict(bound.arguments)
                if self.takes_self:
                    arguments.pop(next(iter(signature.parameters)))
                return index, arguments, []
            reasons += [f"overload {index + 1}: {reason}" for reason in wrong]
        return None, {}, reasons

    def signature(self, index: int) -> inspect.Signature:
        """Overload ``index``'s signature as a call sees it (``self`` left out)."""
        signature = self.signatures[index]
        return signature.replace(parameters=list(signature.parameters.values())[1:]) if self.takes_self else signature


def _literal_able(value: object) -> bool:
    return isinstance(value, (bool, int, str, bytes)) and not hasattr(value, "__members__")


def _among(value: object, allowed: tuple[object, ...]) -> bool:
    return any(type(value) is type(item) and value == item for item in allowed)  # True is not 1


def _literals(annotation: object) -> tuple[object, ...] | None:
    """The values a ``Literal[...]`` annotation admits, when it admits no other value of their types
    (``Optional[Literal[False]] | Omit``: False; ``bool``: no constraint)."""
    if not isinstance(annotation, str) or "Literal" not in annotation:
        return None
    try:
        tree = ast.parse(annotation, mode="eval")
    except SyntaxError:
        return None
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    if names & {"bool", "int", "str", "bytes", "Any", "object"}:
        return None
    values: list[object] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value).rsplit(".", 1)[-1] == "Literal":
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            values += [item.value for item in items if isinstance(item, ast.Constant)]
    return tuple(values) if values else None


class Stub(Generic[R]):
    """One recorded call of a double's method: what it returns, raises, and whether it happened."""

    def __init__(self, method: _Stubbed, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self._method, self._args, self._kwargs = method, args, kwargs

    def returns(self, value: R) -> None:
        """A call equal to the recorded one (``ANY`` matches anything) returns ``value``."""
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        spec = self._method.spec
        spec.check_reply(value, self._method.where, spec.overload_of(self._args, self._kwargs))
        self._method.stubs.insert(0, (self._args, self._kwargs, lambda: value))  # the latest stub of a call wins

    def raises(self, error: BaseException) -> None:
        def fail() -> Any:
            raise error

        self._method.stubs.insert(0, (self._args, self._kwargs, fail))

    def assert_called_once(self) -> None:
        """The method was called once in all, with the recorded arguments."""
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        calls = [(c.args, c.kwargs) for c in self._method.calls]
        if calls != [(self._args, self._kwargs)]:
            raise AssertionError(f"expected exactly one call with {self._args} {self._kwargs}; calls were {calls}")


@overload
def when(call: Callable[[], Coroutine[Any, Any, R]]) -> Stub[R]: ...
@overload
def when(call: Callable[[], R]) -> Stub[R]: ...
def when(call: Callable[[], Any]) -> Stub[Any]:
    """Stub one call of a double's method: ``when(lambda: double.method(args)).returns(value)``."""
    token = _RECORDING.set(True)
    try:
        result = call()
    except _Captured as found:
        return Stub(found.method, found.args, found.kwargs)
    finally:
        _RECORDING.reset(token)
    if inspect.iscoroutine(result):
        result.close()
    raise TypeError(f"when() takes a lambda that calls one method of a double(...); it returned {result!r}")
