"""What a Protocol class declares, read at run time: its methods, properties and attributes."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol

Kind = Literal["method", "property", "attribute"]
STREAM_RETURNS = frozenset({"AsyncIterator", "AsyncGenerator", "AsyncIterable"})

_MACHINERY = frozenset(
    [
        "__module__",
        "__qualname__",
        "__doc__",
        "__dict__",
        "__weakref__",
        "__parameters__",
        "__orig_bases__",
        "__protocol_attrs__",
        "__non_callable_proto_members__",
        "__subclasshook__",
        "__init__",
        "__abstractmethods__",
        "_abc_impl",
        "__annotations__",
        "__all__",
        "__slots__",
        "__class_getitem__",
        "__init_subclass__",
        "_is_protocol",
        "_is_runtime_protocol",
        "__type_params__",
        "__static_attributes__",
        "__firstlineno__",
    ]
)


@dataclass(frozen=True)
class Member:
    """One member a protocol declares. ``value`` is the function, property or descriptor, or None
    for an attribute that is only annotated; ``annotation`` is that attribute's annotation."""

    name: str
    kind: Kind
    value: Any
    annotation: Any = None


def protocol_members(proto: type) -> dict[str, Member]:
    """The members of ``proto`` and its protocol bases, most derived last-wins, in declaration order."""
    members: dict[str, Member] = {}
    for klass in reversed(proto.__mro__):
        if klass in (object, Protocol, Generic) or not getattr(klass, "_is_protocol", False):
            continue
        for name, annotation in vars(klass).get("__annotations__", {}).items():
            members[name] = Member(name, "attribute", None, annotation)
        for name, value in vars(klass).items():
            if name in _MACHINERY:
                continue
            if isinstance(value, property):
                members[name] = Member(name, "property", value)
            elif isinstance(value, (staticmethod, classmethod)) or inspect.isfunction(value):
                members[name] = Member(name, "method", value)
    return members


def function_of(value: Any) -> Any:
    """The plain function behind a method, classmethod or staticmethod."""
    return value.__func__ if isinstance(value, (staticmethod, classmethod)) else value


def returns_async_iterator(function: Any) -> bool:
    """Whether ``function``'s return annotation is an async iterator type: how a protocol declares a
    stream method (a plain ``def``), and what an async generator method is annotated with."""
    returns = getattr(function, "__annotations__", {}).get("return", "")
    text = returns if isinstance(returns, str) else inspect.formatannotation(returns)
    return text.split("[")[0].rsplit(".", 1)[-1] in STREAM_RETURNS
