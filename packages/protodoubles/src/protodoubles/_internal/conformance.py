"""``assert_conforms(impl, Proto)``: a deep run-time check that a class (or an instance) has the shape a
protocol declares: every member, of the same kind and async kind, with matching parameters and
annotations. ``isinstance`` against a runtime-checkable protocol checks only that the names exist."""

from __future__ import annotations

import ast
import functools
import inspect
import re
import types
from pathlib import Path
from typing import Any

from protodoubles._internal.members import Member, function_of, protocol_members, returns_async_iterator

__all__ = ["ConformanceError", "assert_conforms", "conformance_problems"]

_WILDCARDS = frozenset({"Any", "Self"})


class ConformanceError(AssertionError):
    """The implementation does not have the protocol's shape; ``problems`` lists every mismatch."""

    def __init__(self, impl: str, proto: str, problems: list[str]) -> None:
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{impl} does not conform to {proto} ({len(problems)} problem(s)):\n{lines}")
        self.problems = problems


def assert_conforms(impl: object, proto: type) -> None:
    __tracebackhide__ = True  # a failing test shows its own line, not this frame
    problems = conformance_problems(impl, proto)
    if problems:
        name = impl.__name__ if isinstance(impl, type) else f"{type(impl).__name__} instance"
        raise ConformanceError(name, proto.__name__, problems)


def conformance_problems(impl: object, proto: type) -> list[str]:
    """Every way ``impl`` differs from ``proto``, one line each, naming the member."""
    cls = impl if isinstance(impl, type) else type(impl)
    problems: list[str] = []
    for member in protocol_members(proto).values():
        found = _static_lookup(cls, member.name)
        if isinstance(found, types.MemberDescriptorType):
            found = _MISSING  # a __slots__ entry is storage, not a value: the attribute exists once assigned
        if member.kind == "attribute":
            if found is _MISSING and not _has_attribute(impl, cls, member.name):
                problems.append(f"{member.name}: attribute missing")
            elif callable(found) and not isinstance(found, (property, functools.cached_property)):
                problems.append(f"{member.name}: expected an attribute, found a method")
        elif member.kind == "property":
            if found is _MISSING and not _has_attribute(impl, cls, member.name):
                problems.append(f"{member.name}: property missing")
            elif inspect.isfunction(found) or isinstance(found, (staticmethod, classmethod)):
                problems.append(f"{member.name}: expected a property, found a method")
            elif isinstance(found, (property, functools.cached_property)):
                problems += _compare_returns(member.name, member.value.fget, _getter(found))
        elif found is _MISSING:
            problems.append(f"{member.name}: method missing")
        elif not (inspect.isfunction(found) or isinstance(found, (staticmethod, classmethod))):
            problems.append(f"{member.name}: expected a method, found {type(found).__name__}")
        else:
            problems += _compare_methods(member, found)
    return problems


_MISSING = object()


def _static_lookup(cls: type, name: str) -> Any:
    try:
        return inspect.getattr_static(cls, name)
    except AttributeError:
        return _MISSING


def _getter(found: Any) -> Any:
    return found.fget if isinstance(found, property) else found.func


def _has_attribute(impl: object, cls: type, name: str) -> bool:
    """An instance attribute: present on the instance, annotated in a class body, or assigned through
    ``self`` in any method (read from the class's source, as the type checker sees it)."""
    if not isinstance(impl, type):
        return hasattr(impl, name)
    return any(name in vars(klass).get("__annotations__", {}) or name in _self_assigned(klass) for klass in cls.__mro__)


@functools.cache
def _self_assigned(klass: type) -> frozenset[str]:
    from protodoubles._internal.gen.load.source import class_facts

    try:
        path = inspect.getsourcefile(klass)
    except TypeError:
        return frozenset()
    if path is None or not Path(path).is_file():
        return frozenset()
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    return frozenset(class_facts(tree, klass.__qualname__).self_attributes)


def _async_kind(function: Any) -> str:
    if inspect.isasyncgenfunction(function):
        return "async generator"
    if inspect.iscoroutinefunction(function):
        return "coroutine"
    return "sync"


def _protocol_async_kind(function: Any) -> str:
    """A protocol writes a stream method as a plain def returning an async iterator."""
    kind = _async_kind(function)
    return "async generator" if kind == "sync" and returns_async_iterator(function) else kind


def _compare_methods(member: Member, found: Any) -> list[str]:
    name = member.name
    expected_fn, actual_fn = function_of(member.value), function_of(found)
    problems: list[str] = []
    for flavour in (staticmethod, classmethod):
        if isinstance(member.value, flavour) != isinstance(found, flavour):
            problems.append(f"{name}: {flavour.__name__} in the protocol is not matched by the implementation")
    want, got = _protocol_async_kind(expected_fn), _async_kind(inspect.unwrap(actual_fn))
    if want != got and not (want == "async generator" and got == "sync" and returns_async_iterator(actual_fn)):
        problems.append(f"{name}: expected a {want} method, found a {got} method")
    try:
        expected, actual = inspect.signature(expected_fn), inspect.signature(actual_fn)
    except (TypeError, ValueError):
        return problems
    problems += _compare_parameters(name, list(expected.parameters.values()), list(actual.parameters.values()))
    problems += _compare_returns(name, expected_fn, actual_fn)
    return problems


def _compare_parameters(name: str, expected: list[inspect.Parameter], actual: list[inspect.Parameter]) -> list[str]:
    problems: list[str] = []
    want = {p.name: (i, p) for i, p in enumerate(expected)}
    got = {p.name: (i, p) for i, p in enumerate(actual)}
    for pname, (index, param) in want.items():
        if pname not in got:
            problems.append(f"{name}({pname}): parameter missing")
            continue
        other_index, other = got[pname]
        if param.kind is not other.kind:
            problems.append(f"{name}({pname}): expected {param.kind.description}, found {other.kind.description}")
        elif param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD) and index != other_index:
            problems.append(f"{name}({pname}): expected at position {index}, found at {other_index}")
        if (param.default is param.empty) != (other.default is other.empty):
            has = "has no default" if param.default is param.empty else "has a default"
            problems.append(f"{name}({pname}): the protocol's parameter {has}, the implementation's does not match")
        if index > 0 or pname not in ("self", "cls"):
            problems += _compare_annotation(f"{name}({pname})", param.annotation, other.annotation)
    for pname in got.keys() - want.keys():
        problems.append(f"{name}({pname}): parameter not in the protocol")
    return problems


def _compare_returns(name: str, expected_fn: Any, actual_fn: Any) -> list[str]:
    want = expected_fn.__annotations__.get("return", inspect.Signature.empty)
    got = inspect.unwrap(actual_fn).__annotations__.get("return", inspect.Signature.empty)
    return _compare_annotation(f"{name}() return", want, got)


def _compare_annotation(where: str, expected: Any, actual: Any) -> list[str]:
    want, got = _text(expected), _text(actual)
    if want == got or want in _WILDCARDS or not want:
        return []
    return [f"{where}: annotation differs: protocol {want!r}, implementation {got or 'none'!r}"]


def _text(annotation: Any) -> str:
    if annotation is inspect.Parameter.empty or annotation is None:
        return "" if annotation is not None else "None"
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    return re.sub(r"\s+", "", text.replace("typing.", "").replace("collections.abc.", ""))
