"""What kind of member a class attribute or decorated method is, in a type checker's eyes: enum members,
NamedTuple fields, frozen dataclass fields and ``Final`` names are read-only; a decorator or annotation
that names a descriptor class (a class with ``__get__``) makes the member what ``__get__`` returns."""

from __future__ import annotations

import ast
import re

import griffe

from protodoubles._internal.gen.load import scan
from protodoubles._internal.gen.load.loading import ModuleLoader
from protodoubles._internal.gen.load.source import literal_type
from protodoubles._internal.gen.model.bases import Base, Subst, base_path, class_at, direct_bases

ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag", "enum.ReprEnum"})
_NAMEDTUPLE = frozenset({"typing.NamedTuple", "typing_extensions.NamedTuple"})
_DATACLASS = frozenset(
    {"dataclass", "dataclasses.dataclass", "attr.s", "attr.attrs", "attrs.define", "attr.define", "pydantic.dataclasses.dataclass"}
)
_FROZEN = frozenset({"attr.frozen", "attrs.frozen"})
_ASSIGNED_VALUE = re.compile(r"[ \t]*(?::[^=\n]*)?=[ \t]*([^\n]*)", re.MULTILINE)  # after a name that starts a line
# Decorators a protocol writes itself, or that leave a method a method.
PLAIN_DECORATORS = frozenset(
    [
        "property",
        "staticmethod",
        "classmethod",
        "overload",
        "typing.overload",
        "typing_extensions.overload",
        "abstractmethod",
        "abc.abstractmethod",
        "contextmanager",
        "contextlib.contextmanager",
        "asynccontextmanager",
        "contextlib.asynccontextmanager",
        "functools.wraps",
        "override",
        "typing.override",
        "typing_extensions.override",
        "final",
        "typing.final",
        "typing_extensions.final",
    ]
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
    if not _may_be_descriptor(loader, path, 4):
        return None
    # what a descriptor is read for, a class cut by a focus keeps: its annotations and __get__ (see ModuleLoader)
    found = class_at(loader, path, whole=False)  # also `reify = reify_py`, `if TYPE_CHECKING: ro_property = property`
    if found is None:
        return None
    for owner in [found, *(b.cls for b in direct_bases(found, {}, loader, warnings, whole=False))]:
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
    from protodoubles._internal.gen.model.bases import type_params

    params = type_params(owner, loader)
    args: list[griffe.Expr | str] = []
    if isinstance(annotation, griffe.ExprSubscript):
        index = annotation.slice
        args = list(index.elements) if isinstance(index, griffe.ExprTuple) else [index]
    return {p: ((args[i], {}) if i < len(args) else ("Any", {})) for i, p in enumerate(params)}


_NOT_DESCRIPTORS = frozenset(
    {
        "object",
        "builtins.object",
        "Generic",
        "Protocol",
        "ABC",
        "typing.Generic",
        "typing.Protocol",
        "abc.ABC",
        "typing_extensions.Protocol",
    }
)


def _may_be_descriptor(loader: ModuleLoader, path: str, depth: int) -> bool:
    """False when the module's text shows that the class at ``path`` and its bases have no ``__get__``
    (so that checking an annotation does not visit the module that defines it); True when unsure."""
    module, _, name = path.rpartition(".")
    if depth == 0:
        return True
    if module and loader.loaded(module) is not None:
        found = loader.resolve(path)
        if isinstance(found, griffe.Attribute) and isinstance(found.value, (griffe.ExprName, griffe.ExprAttribute)):
            return True  # `_magic_enum_attr = property`, `reify = reify_py`: see what it names
        if not isinstance(found, griffe.Class):
            return False
        if "__get__" in found.members or "__get__" in found.overloads:
            return True
        paths = [base_path(b) for b in found.bases]
        return any(_may_be_descriptor(loader, loader.final_path(p), depth - 1) for p in paths if p not in _NOT_DESCRIPTORS)
    source = loader.text(module) if module else None
    if source is None:
        return True
    text, is_package = source
    body = scan.class_body(text, name)
    bound = scan.binding(text, name, module, is_package) if body is None else None
    if bound is not None and bound.source is not None:  # imported (`from .deprecations import deprecated`): read there
        return _may_be_descriptor(loader, bound.source, depth - 1)
    if bound is not None and scan.line_search(rf"(?:async[ \t]+)?def[ \t]+{re.escape(name)}\b", text):
        return False  # a function, no descriptor class
    if body is None:  # a constant assigned at the top level is no class; a name (`reify = reify_py`) may be
        assigned = scan.line_starting(text, name, _ASSIGNED_VALUE)
        return assigned is None or re.fullmatch(r"[A-Za-z_][\w.]*", assigned[1].split("#")[0].strip()) is not None
    if "__get__" in body:
        return True
    bases = scan.class_bases(text, name) or ""
    for base in re.findall(r"(?<![\w.\[])([A-Za-z_][\w.]*)", re.sub(r"\[[^\]]*\]", "", bases)):
        if base in _NOT_DESCRIPTORS or "=" in base:
            continue
        head, _, rest = base.partition(".")
        bound = scan.binding(text, head, module, is_package)
        if bound is None:
            return True
        start = bound.source if bound.source is not None else f"{module}.{head}"
        if _may_be_descriptor(loader, loader.final_path(f"{start}.{rest}" if rest else start), depth - 1):
            return True
    return False


def is_member_value(attribute: griffe.Attribute) -> bool:
    """An enum class attribute that becomes a member: assigned a value, not ``ClassVar``, not ``_private``."""
    return attribute.value is not None and not attribute.name.startswith("_") and "ClassVar" not in str(attribute.annotation)


def optional(text: str) -> bool:
    return "None" in text or "Optional" in text or "Union" in text or "|" in text


def final_of(annotation: griffe.Expr | str | None) -> tuple[bool, griffe.Expr | str | None]:
    """(is it ``Final`` or ``Final[T]``, T)."""
    head = annotation.left if isinstance(annotation, griffe.ExprSubscript) else annotation
    if not isinstance(head, (griffe.ExprName, griffe.ExprAttribute)) or str(head).rsplit(".", 1)[-1] != "Final":
        return False, None
    return True, annotation.slice if isinstance(annotation, griffe.ExprSubscript) else None


def literal_of(value: griffe.Expr | str | None) -> str | None:
    if isinstance(value, str):
        try:
            return literal_type(ast.parse(value, mode="eval").body)
        except SyntaxError:
            return None
    return None
