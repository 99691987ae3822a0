"""Deep doubles: what ``double()`` adds for protocol families (a protocol per class along attribute paths, ``gen-protocol --follow``).

- A member typed with another protocol (``def chat(self) -> AsyncChatProtocol``) is a child double,
  created on first access and the same object every time, as strict as its parent.
- An overloaded method accepts a call that matches one of its overloads (autospec alone checks the last
  one only; ``Literal`` values such as ``stream=True`` count), and its calls are recorded as written.
  ``returns``/``side_effect`` answer only calls of the first overload, the one mypy checks them against.
- ``when(lambda: client.chat.completions.create(..., stream=True)).returns(stream)`` stubs one call.
  mypy resolves the overload of the call inside the lambda, so the value is checked against *that*
  overload's return type; at run time the lambda only records the call, nothing is called.
"""

from __future__ import annotations

import ast
import inspect
import sys
import typing
import weakref
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload
from unittest.mock import DEFAULT

from protodoubles._internal.doubles.misuse import DoubleNotConfiguredError

__all__ = ["Stub", "child_protocols", "install_children", "overloaded_methods", "prepare_method", "when"]

R = TypeVar("R")

_STUBS: weakref.WeakKeyDictionary[Any, list[tuple[tuple[Any, ...], dict[str, Any], Callable[[], Any]]]] = weakref.WeakKeyDictionary()
_RECORDING: ContextVar[bool] = ContextVar("_RECORDING", default=False)


class _Captured(BaseException):
    """Raised by a double's method while ``when()`` records a call: carries the method and its arguments."""

    def __init__(self, method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        super().__init__("a call recorded by when()")
        self.method, self.args, self.kwargs = method, args, kwargs


def _is_protocol(value: object) -> bool:
    return isinstance(value, type) and bool(getattr(value, "_is_protocol", False))


def _named(text: object, module: str) -> type | None:
    """The protocol class a string annotation names in ``module`` (``AsyncChatProtocol``), if any."""
    if _is_protocol(text):
        return typing.cast(type, text)
    if not isinstance(text, str) or not all(part.isidentifier() for part in text.split(".")):
        return None
    found: object = vars(sys.modules[module]) if module in sys.modules else {}
    for part in text.split("."):
        found = found.get(part) if isinstance(found, dict) else getattr(found, part, None)
    return typing.cast(type, found) if _is_protocol(found) else None


def child_protocols(proto: type, members: dict[str, Any]) -> dict[str, type]:
    """Members of ``proto`` typed with a protocol: property returns and annotated attributes."""
    children: dict[str, type] = {}
    for name, member in members.items():
        if member.kind == "property":
            function = member.value.fget
            found = _named(getattr(function, "__annotations__", {}).get("return"), function.__module__)
        elif member.kind == "attribute":
            owner = next((k for k in proto.__mro__ if name in vars(k).get("__annotations__", {})), proto)
            found = _named(member.annotation, owner.__module__)
        else:
            continue
        if found is not None:
            children[name] = found
    return children


def overloads_of(proto: type, name: str) -> list[Any]:
    """The ``@overload`` definitions of method ``name`` of ``proto`` (the class holds only a dummy)."""
    owner = next((k for k in proto.__mro__ if name in vars(k)), proto)
    where = type("_Where", (), {"__module__": owner.__module__, "__qualname__": f"{owner.__qualname__}.{name}"})
    return list(typing.get_overloads(where))  # looked up by module and qualified name


def overloaded_methods(proto: type, members: dict[str, Any]) -> dict[str, Any]:
    """Overloaded methods of ``proto`` and their last overload, which the double is specced on: it says
    whether the method is async, and autospec needs a real signature instead of the dummy's."""
    found: dict[str, Any] = {}
    for name, member in members.items():
        if member.kind == "method" and getattr(member.value, "__qualname__", "") == "_overload_dummy":
            overloads = overloads_of(proto, name)
            if overloads:
                found[name] = overloads[-1]
    return found


def install_children(mock: Any, children: dict[str, type], label: str, build: Callable[[type, str], Any]) -> None:
    """Each child double is built on first access and kept; ``set_value`` may replace it."""
    cache: dict[str, Any] = {}  # kept alive by the properties below, which live on the mock's own class
    for name, proto in children.items():

        def get(self: Any, _name: str = name, _proto: type = proto) -> Any:
            if _name not in cache:
                cache[_name] = build(_proto, f"{label}.{_name}")
            return cache[_name]

        def put(self: Any, value: Any, _name: str = name) -> None:
            cache[_name] = value

        setattr(type(mock), name, property(get, put))  # every autospec mock has a class of its own


@dataclass(frozen=True)
class _Overloads:
    """The overloads of one method: signatures, and the values each admits for its ``Literal`` parameters."""

    signatures: list[inspect.Signature]
    literals: list[dict[str, tuple[object, ...]]]
    returns: list[str]
    takes_self: bool

    def select(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[int | None, list[str]]:
        """The first overload the call matches, as a type checker picks it; else the reasons."""
        reasons: list[str] = []
        for index, signature in enumerate(self.signatures):
            try:
                bound = signature.bind(*((None,) if self.takes_self else ()), *args, **kwargs)
            except TypeError as exc:
                reasons.append(str(exc))
                continue
            wrong = [
                f"{name}={value!r} is not one of {self.literals[index][name]}"
                for name, value in bound.arguments.items()
                if name in self.literals[index] and _literal_able(value) and not _among(value, self.literals[index][name])
            ]
            if not wrong:
                return index, []
            reasons += wrong
        return None, reasons


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


def prepare_method(method: Any, overloads: list[Any], *, takes_self: bool, where: str) -> None:
    """Overloads: a call must match one of them, and ``returns``/``side_effect`` answer only the calls of
    the first (the one mypy checks them against). Every method: ``when()`` can record a call to it."""
    check = type(method)._mock_check_sig
    if overloads:
        found = _Overloads(
            [inspect.signature(o) for o in overloads],
            [{n: v for n, a in o.__annotations__.items() if n != "return" and (v := _literals(a)) is not None} for o in overloads],
            [str(o.__annotations__.get("return", "?")) for o in overloads],
            takes_self,
        )

        def check(self: Any, /, *args: Any, **kwargs: Any) -> None:
            index, reasons = found.select(args, kwargs)
            if index is None:
                raise TypeError(f"the call matches none of the {len(found.signatures)} overloads: {'; '.join(dict.fromkeys(reasons))}")

        method.__dict__["_spec_signature"] = None  # calls are compared as written, not bound to the last overload
        _dispatch(method, found, where)

    def checked(self: Any, /, *args: Any, **kwargs: Any) -> None:
        check(self, *args, **kwargs)
        if _RECORDING.get():
            raise _Captured(method, args, kwargs)

    type(method)._mock_check_sig = checked


class Stub(Generic[R]):
    """One recorded call of a double's method: what it returns, raises, and whether it happened."""

    def __init__(self, method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self._method, self._args, self._kwargs = method, args, kwargs

    def returns(self, value: R) -> None:
        """A call equal to the recorded one (``unittest.mock.ANY`` matches anything) returns ``value``."""
        self._add(lambda: value)

    def raises(self, error: BaseException) -> None:
        def fail() -> Any:
            raise error

        self._add(fail)

    def assert_called_once(self) -> None:
        """The method was called once in all, with the recorded arguments."""
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        calls = [(tuple(c.args), dict(c.kwargs)) for c in self._method.call_args_list]
        if calls != [(self._args, self._kwargs)]:
            raise AssertionError(f"expected exactly one call with {self._args} {self._kwargs}; calls were {calls}")

    def _add(self, outcome: Callable[[], Any]) -> None:
        stubs = _STUBS.get(self._method)
        if stubs is None:
            stubs = _STUBS[self._method] = []
            _dispatch(self._method, None, "")  # an overloaded method has its dispatch already
        stubs.insert(0, (self._args, self._kwargs, outcome))  # the latest stub of a call wins


def _dispatch(method: Any, overloads: _Overloads | None, where: str) -> None:
    """Consult the stubs, then (for an overloaded method) whether the call is one of the first overload,
    then the method's own configuration: its side effect, then its return value."""
    if "_deep_dispatch" in vars(type(method)):
        return
    stored = type(method).side_effect  # mock's own property

    def matched(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Callable[[], Any] | None:
        return next((o for a, k, o in _STUBS.get(method, []) if (a, k) == (args, kwargs)), None)

    def gate(effect: object, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        if overloads is None or isinstance(effect, BaseException) or (isinstance(effect, type) and issubclass(effect, BaseException)):
            return  # raises() answers every call
        index, _ = overloads.select(args, kwargs)
        if index:
            raise DoubleNotConfiguredError(
                f"{where} was called as its overload {index + 1} (-> {overloads.returns[index]}); returns() and side_effect() "
                f"answer overload 1 only (-> {overloads.returns[0]}): stub this call with when(lambda: ...).returns(...)"
            )

    def get(self: Any) -> Any:
        effect = stored.__get__(self, type(self))

        def fallback(*args: Any, **kwargs: Any) -> Any:
            gate(effect, args, kwargs)
            if effect is None:
                return DEFAULT
            if isinstance(effect, BaseException) or (isinstance(effect, type) and issubclass(effect, BaseException)):
                raise effect
            return effect(*args, **kwargs)

        if inspect.iscoroutinefunction(effect):

            async def dispatch_async(*args: Any, **kwargs: Any) -> Any:
                outcome = matched(args, kwargs)
                if outcome is not None:
                    return outcome()
                gate(effect, args, kwargs)
                return await effect(*args, **kwargs)

            return dispatch_async

        def dispatch(*args: Any, **kwargs: Any) -> Any:
            outcome = matched(args, kwargs)
            return outcome() if outcome is not None else fallback(*args, **kwargs)

        return dispatch

    type(method).side_effect = property(get, stored.__set__)
    type(method)._deep_dispatch = True


@overload
def when(call: Callable[[], Coroutine[Any, Any, R]]) -> Stub[R]: ...
@overload
def when(call: Callable[[], R]) -> Stub[R]: ...
def when(call: Callable[[], Any]) -> Stub[Any]:
    """Stub one call of a double's method: ``when(lambda: double.method(args)).returns(value)``."""
    token = _RECORDING.set(True)
    try:
        result = call()
    except _Captured as captured:
        return Stub(captured.method, captured.args, captured.kwargs)
    finally:
        _RECORDING.reset(token)
    if inspect.iscoroutine(result):
        result.close()
    raise TypeError(f"when() takes a lambda that calls one method of a double(...); it returned {result!r}")
