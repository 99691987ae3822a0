"""The class of a protocol's doubles, made once per protocol, so that making a double costs one object.

Each member the protocol declares becomes a descriptor on that class, and does its work on first use:

- a method gives the double's ``MethodDouble`` for it, made and kept on first read (its signature is
  read once per protocol, on the first read of that method on any double);
- a property or attribute typed with another protocol gives a child double, made on first read and
  kept (a protocol may refer to itself: only a lazy child can terminate);
- any other property or attribute gives what the test assigned (``set_value`` for a property), or an
  ``Unset`` that fails clearly on any use.

The class derives from the protocol, so ``isinstance(double, Proto)`` holds for a runtime-checkable one.
"""

from __future__ import annotations

import inspect
import sys
import threading
import typing
from typing import Any, NoReturn

from protodoubles._internal.doubles import misuse
from protodoubles._internal.doubles.deep import overloads_for, overloads_of
from protodoubles._internal.doubles.method import AsyncMethodDouble, Flavor, MethodDouble, MethodSpec
from protodoubles._internal.doubles.misuse import DoubleNotConfiguredError, DoubleTypeError
from protodoubles._internal.doubles.values import check_value, resolved
from protodoubles._internal.members import Member, function_of, protocol_members, returns_async_iterator
from protodoubles._internal.replacements import signature_problem

__all__ = ["DoubleBase", "Unset", "build", "data_members"]

_LABEL = "_protodoubles_label"  # the key of a double's label in its __dict__
_CLASSES: dict[type, type[DoubleBase]] = {}
_LOCK = threading.Lock()


class Unset:
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


class DoubleBase:
    """What every double has: strict attribute reads and writes, and a label naming where it stands."""

    _protodoubles_members: typing.ClassVar[frozenset[str]] = frozenset()  # every member the protocol declares
    _protodoubles_data: typing.ClassVar[frozenset[str]] = frozenset()  # its properties and attributes
    _protodoubles_attributes: typing.ClassVar[frozenset[str]] = frozenset()  # its attributes only (not on the class)
    _protodoubles_invented: typing.ClassVar[str] = ""  # why no double of the protocol may be made, if so

    def __getattr__(self, name: str) -> Any:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        raise misuse.undeclared_read(self.__dict__.get(_LABEL, "a double"), name, sys._getframe(1), self, type(self)._protodoubles_members)

    def __setattr__(self, name: str, value: object) -> None:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        if name not in type(self)._protodoubles_members:
            raise misuse.undeclared_write(self.__dict__.get(_LABEL, "a double"), name)
        slot = vars(type(self)).get(name)
        if isinstance(slot, _Method):
            _check_replacement(slot, value, f"{self.__dict__[_LABEL]}.{name}()")
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return f"<{self.__dict__.get(_LABEL, 'a double')}>"


def data_members(target: object) -> frozenset[str] | None:
    """The properties and attributes ``target`` may be given through ``set_value``; None if it is no double."""
    return type(target)._protodoubles_data if isinstance(target, DoubleBase) else None


def label_of(target: DoubleBase) -> str:
    return str(target.__dict__[_LABEL])


def build(proto: type, label: str) -> Any:
    """A new double of ``proto``: an instance of the protocol's double class, with its label."""
    __tracebackhide__ = True  # a failing test shows its own line, not this frame
    cls = _CLASSES.get(proto) or _class_of(proto)
    if cls._protodoubles_invented:
        raise DoubleTypeError(cls._protodoubles_invented)
    made = object.__new__(cls)
    made.__dict__[_LABEL] = label
    return made


class _Method:
    """A method's descriptor: the double's ``MethodDouble``, made on first read and kept in its __dict__."""

    __slots__ = ("member", "name", "proto", "spec")

    def __init__(self, proto: type, member: Member) -> None:
        self.proto, self.member, self.name = proto, member, member.name
        self.spec: MethodSpec | None = None

    def __get__(self, obj: DoubleBase | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        found = obj.__dict__.get(self.name)  # a dunder is looked up on the class each time
        if found is None:
            spec = self.spec or self._read_spec()
            kind = AsyncMethodDouble if spec.flavor == "async" else MethodDouble
            found = obj.__dict__[self.name] = kind(spec, f"{obj.__dict__[_LABEL]}.{self.name}()")
        return found

    def _read_spec(self) -> MethodSpec:
        member = self.member
        takes_self = not isinstance(member.value, staticmethod)
        overloads = overloads_of(self.proto, self.name) if _is_overload_dummy(member) else []
        function = overloads[-1] if overloads else function_of(member.value)
        signature = inspect.signature(function)
        if takes_self:
            signature = signature.replace(parameters=list(signature.parameters.values())[1:])
        self.spec = MethodSpec(
            _flavor(function),
            _returns_none(function),
            signature,
            overloads_for(overloads, takes_self=takes_self) if overloads else None,
            tuple(getattr(each, "__annotations__", {}).get("return", inspect.Parameter.empty) for each in overloads or [function]),
            function.__module__,
        )
        return self.spec


class _Value:
    """A property's or attribute's descriptor: what was assigned (checked against the declared type),
    else a child double or ``Unset``."""

    __slots__ = ("annotation", "child", "module", "name", "type")

    def __init__(self, proto: type, member: Member, child: type | None) -> None:
        self.name, self.child = member.name, child
        if member.kind == "property":
            getter = member.value.fget
            self.annotation, self.module = getattr(getter, "__annotations__", {}).get("return"), getter.__module__
        else:
            owner = next((k for k in proto.__mro__ if member.name in vars(k).get("__annotations__", {})), proto)
            self.annotation, self.module = member.annotation, owner.__module__
        self.type: Any = None  # resolved on the first assignment

    def __get__(self, obj: DoubleBase | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        values = obj.__dict__
        if self.name in values:
            return values[self.name]
        where = f"{values[_LABEL]}.{self.name}"
        if self.child is None:
            return Unset(where)
        made = values[self.name] = build(self.child, where)
        return made

    def __set__(self, obj: DoubleBase, value: object) -> None:
        __tracebackhide__ = True  # a failing test shows its own line, not this frame
        where = f"{obj.__dict__[_LABEL]}.{self.name}"
        if self.child is not None:
            _check_child(value, self.child, where)
        else:
            if self.type is None:
                self.type = resolved(self.annotation, self.module)
            check_value(value, self.type, f"{where} is declared as {self.annotation}, and was given {value!r}")
        obj.__dict__[self.name] = value


def _check_replacement(slot: _Method, value: object, where: str) -> None:
    """A method of a double replaced by a test must take every call the protocol's method must accept."""
    __tracebackhide__ = True  # a failing test shows its own line, not this frame
    spec = slot.spec or slot._read_spec()
    try:
        problem = signature_problem(spec.signature, inspect.signature(value)) if callable(value) else "is not callable"
    except (TypeError, ValueError):
        return  # a callable without a readable signature is not judged
    if problem:
        raise DoubleTypeError(f"{where} replaced by {value!r}: it {problem}")


def _check_child(value: object, proto: type, where: str) -> None:
    """A member typed with a protocol takes a double of it, or an object with every member it declares."""
    __tracebackhide__ = True  # a failing test shows its own line, not this frame
    if isinstance(value, DoubleBase):
        if proto in type(value).__mro__:
            return
        missing: list[str] = []  # a double of another protocol: wrong whatever members it shares
    else:
        missing = sorted(name for name in protocol_members(proto) if not hasattr(value, name))
        if not missing:
            return
    raise DoubleTypeError(
        f"{where} is declared as {proto.__name__}, and was given {value!r}, which lacks {', '.join(missing) or 'its members'}"
    )


def _class_of(proto: type) -> type[DoubleBase]:
    with _LOCK:
        if proto in _CLASSES:
            return _CLASSES[proto]
        members = protocol_members(proto)
        children = _child_protocols(proto, members)
        namespace: dict[str, Any] = {"__module__": __name__, "__qualname__": f"double({proto.__qualname__})"}
        for name, member in members.items():
            namespace[name] = _Method(proto, member) if member.kind == "method" else _Value(proto, member, children.get(name))
        namespace["_protodoubles_invented"] = _invented(proto, members)
        namespace["_protodoubles_attributes"] = frozenset(name for name, member in members.items() if member.kind == "attribute")
        namespace["_protodoubles_members"] = frozenset(members)
        namespace["_protodoubles_data"] = frozenset(name for name, member in members.items() if member.kind != "method")
        cls: type[DoubleBase] = type(proto)(f"{proto.__name__}Double", (DoubleBase, proto), namespace)
        _CLASSES[proto] = cls
        return cls


_HEADERS = (b"# Generated by protodoubles", b"# Generated by tools/gen_protocol.py")


def _generated(cls: type) -> bool:
    """Whether ``cls`` comes from a module gen-protocol wrote (its header says so)."""
    module = sys.modules.get(cls.__module__)
    path = getattr(module, "__file__", None)
    if not path:
        return False
    try:
        with open(path, "rb") as source:
            return source.read(64).startswith(_HEADERS)
    except OSError:
        return False


def _invented(proto: type, members: dict[str, Member]) -> str:
    """A protocol written in a test on top of a generated one may not add members: the class the generated
    one stands for does not have them. The reason, or "" when nothing is added."""
    if _generated(proto):
        return ""
    generated = [k for k in proto.__mro__[1:] if getattr(k, "_is_protocol", False) and _generated(k)]
    if not generated:
        return ""
    known = {name for k in generated for name in protocol_members(k)}
    added = sorted(name for name in members if name not in known)
    if not added:
        return ""
    base = generated[0].__name__
    return f"double({proto.__name__}): it extends the generated {base} with {', '.join(added)}, which the class behind {base} does not have"


def _is_overload_dummy(member: Member) -> bool:
    return getattr(member.value, "__qualname__", "") == "_overload_dummy"


def _flavor(function: Any) -> Flavor:
    if inspect.iscoroutinefunction(function):
        return "async"
    return "stream" if returns_async_iterator(function) else "sync"


def _returns_none(function: Any) -> bool:
    return getattr(function, "__annotations__", {}).get("return") in ("None", None.__class__, None)


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


def _child_protocols(proto: type, members: dict[str, Member]) -> dict[str, type]:
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
