"""What kind of member a class attribute or decorated method is, in a type checker's eyes: enum members,
NamedTuple fields, frozen dataclass fields and ``Final`` names are read-only; a decorator or annotation
that names a descriptor class (a class with ``__get__``) makes the member what ``__get__`` returns."""

from __future__ import annotations

import griffe

from contracts.gen.bases import Base, Subst, base_path, direct_bases
from contracts.gen.loading import ModuleLoader

ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag", "enum.ReprEnum"})
_NAMEDTUPLE = frozenset({"typing.NamedTuple", "typing_extensions.NamedTuple"})
_DATACLASS = frozenset({"dataclass", "dataclasses.dataclass", "attr.s", "attr.attrs", "attrs.define", "attr.define", "pydantic.dataclasses.dataclass"})
_FROZEN = frozenset({"attr.frozen", "attrs.frozen"})
# Decorators a protocol writes itself, or that leave a method a method.
PLAIN_DECORATORS = frozenset(
    "property staticmethod classmethod overload typing.overload "
    "typing_extensions.overload abstractmethod abc.abstractmethod contextmanager contextlib.contextmanager "
    "asynccontextmanager contextlib.asynccontextmanager functools.wraps override typing.override "
    "typing_extensions.override final typing.final typing_extensions.final".split()
)


def is_enum(bases: list[Base]) -> bool:
    return any(b.cls.path in ENUM_BASES for b in bases[1:])


def read_only_fields(cls: griffe.Class) -> bool:
    """A NamedTuple or a frozen dataclass (attrs ``frozen`` too): its fields cannot be assigned."""
    if any(base_path(b) in _NAMEDTUPLE for b in cls.bases):
        return True
    for decorator in cls.decorators:
        value = decorator.value
        call = value if isinstance(value, griffe.ExprCall) else None
        head = call.function if call is not None else value
        path = head.canonical_path if isinstance(head, (griffe.ExprName, griffe.ExprAttribute)) else str(head)
        if path in _FROZEN or path.rsplit(".", 1)[-1] == "frozen":
            return True
        if call is not None and (path in _DATACLASS or path.rsplit(".", 1)[-1] in {"dataclass", "define"}):
            for argument in call.arguments:
                if isinstance(argument, griffe.ExprKeyword) and argument.name == "frozen" and str(argument.value) == "True":
                    return True
    return False


def descriptor_get(loader: ModuleLoader, path: str, warnings: list[str]) -> tuple[griffe.Function, griffe.Class, griffe.Class] | None:
    """``__get__`` of the class at ``path`` (the overload for instance access), the class that
    defines it and the class at ``path``; None when the path does not name a descriptor class."""
    if path in PLAIN_DECORATORS or path.startswith(("typing.", "builtins.", "abc.")) or "." not in path:
        return None
    found = loader.resolve(path)
    if isinstance(found, griffe.Attribute) and isinstance(found.value, griffe.ExprName):
        found = loader.resolve(found.value.canonical_path)  # `reify = reify_py`
    if not isinstance(found, griffe.Class):
        return None
    for owner in [found, *(b.cls for b in direct_bases(found, {}, loader, warnings))]:
        getter = owner.members.get("__get__")
        stub_overloads = owner.overloads.get("__get__") if isinstance(owner.overloads, dict) else None
        if getter is None and stub_overloads:  # a stub's overloads with no implementation
            getter = stub_overloads[-1]
            getter.overloads = list(stub_overloads)
        if isinstance(getter, griffe.Function):
            overloads = getter.overloads or []
            for overload in reversed(overloads):  # the overload an instance (not None) gets
                params = list(overload.parameters)
                if len(params) > 1 and "None" not in str(params[1].annotation):
                    return overload, owner, found
            return getter, owner, found
    return None


def descriptor_subst(owner: griffe.Class, annotation: griffe.Expr | str, loader: ModuleLoader) -> Subst:
    """The descriptor class's type parameters bound to the arguments of ``annotation``
    (``dispatch: dispatcher[Session]`` binds ``_ET`` to ``Session``)."""
    from contracts.gen.bases import type_params

    params = type_params(owner, loader)
    args: list[griffe.Expr | str] = []
    if isinstance(annotation, griffe.ExprSubscript):
        index = annotation.slice
        args = list(index.elements) if isinstance(index, griffe.ExprTuple) else [index]
    return {p: ((args[i], {}) if i < len(args) else ("Any", {})) for i, p in enumerate(params)}
