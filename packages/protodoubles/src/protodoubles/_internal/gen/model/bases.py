"""A class's bases in method resolution order, each with the type arguments it was given, and the
members the class has through them (``class Headers(Mapping[str, str])`` inherits ``__getitem__(self,
key: str) -> str``, not ``_KT -> _VT_co``)."""

from __future__ import annotations

import builtins
from typing import NamedTuple

import griffe

from protodoubles._internal.gen.load import scan
from protodoubles._internal.gen.load.loading import ModuleLoader

# TypeVar path -> (the type argument, the substitution that applies inside that argument)
Subst = dict[str, tuple["griffe.Expr | str", "Subst"]]

_NOT_BASES = frozenset(
    {
        "builtins.object", "object", "typing.Generic", "typing.Protocol", "typing_extensions.Protocol",
        "typing_extensions.Generic", "abc.ABC", "typing.NamedTuple", "typing_extensions.NamedTuple",
    }
)  # fmt: skip
_PARAM_FACTORIES = ("TypeVar", "ParamSpec", "TypeVarTuple")
_BUILTIN_CLASSES = frozenset(name for name, value in vars(builtins).items() if isinstance(value, type))
_ALIAS_HOPS = 8  # `AsyncACLCommands = ACLCommands`: how many assignments a base may go through


class Base(NamedTuple):
    cls: griffe.Class
    subst: Subst


def base_path(expr: griffe.Expr | str) -> str:
    """The dotted path a base expression names (its subscript left out); builtins get ``builtins.``."""
    head = expr.left if isinstance(expr, griffe.ExprSubscript) else expr
    path = head if isinstance(head, str) else _outer_path(head)
    return f"builtins.{path}" if path in _BUILTIN_CLASSES else path


def _outer_path(head: griffe.Expr) -> str:
    """What a base names where the class statement stands. griffe resolves it among the class's own
    members first, where a method of the same name hides it (typeshed's ``class datetime(date)`` has a
    method ``date``); a class statement evaluates its bases in the scope around it."""
    first = head.first if isinstance(head, griffe.ExprAttribute) else head
    if not isinstance(first, griffe.ExprName) or not isinstance(first.parent, (griffe.Module, griffe.Class)):
        return head.canonical_path
    try:
        start = first.parent.resolve(first.name)
    except griffe.NameResolutionError:
        start = first.name
    return start + (str(head)[len(first.name) :] if isinstance(head, griffe.ExprAttribute) else "")


def _arguments(expr: griffe.Expr | str) -> list[griffe.Expr | str] | None:
    if not isinstance(expr, griffe.ExprSubscript):
        return None
    index = expr.slice
    return list(index.elements) if isinstance(index, griffe.ExprTuple) else [index]


# Modules whose public names (no leading underscore) are never type variables but for AnyStr, in the typeshed
# the generator reads (tests/contract/test_gen_loading.py checks it): no text of theirs is read to find out.
PUBLIC_NAMES_NOT_TYPE_VARS = frozenset({"typing", "typing_extensions", "collections.abc", "builtins"})


def is_type_param(loader: ModuleLoader, path: str, hops: int = 4) -> bool:
    module, _, name = path.rpartition(".")
    if module in PUBLIC_NAMES_NOT_TYPE_VARS and not name.startswith("_"):
        return name == "AnyStr"
    source = loader.text(module) if module and loader.loaded(module) is None else None
    if source is not None:
        call = scan.type_var_call(source[0], name)
        if call is not None:
            return call != ""
        bound = scan.binding(source[0], name, module, source[1]) if hops else None  # imported: from where, as text
        return bound is not None and bound.source is not None and is_type_param(loader, bound.source, hops - 1)
    found = loader.resolve(path) if "." in path else None
    return isinstance(found, griffe.Attribute) and str(found.value).split("(")[0].rsplit(".", 1)[-1] in _PARAM_FACTORIES


def type_params(cls: griffe.Class, loader: ModuleLoader) -> list[str]:
    """Paths of a class's type parameters, in order: from ``Generic[...]``/``Protocol[...]`` if it has
    one, else as they first appear in its bases' subscripts."""
    subscripted = [b for b in cls.bases if isinstance(b, griffe.ExprSubscript)]
    generic = [b for b in subscripted if base_path(b).rsplit(".", 1)[-1] in {"Generic", "Protocol"}]
    found: list[str] = []
    for base in generic or subscripted:
        for item in base.slice.iterate(flat=True) if isinstance(base.slice, griffe.Expr) else ():
            if isinstance(item, griffe.ExprName) and (path := loader.path_of(item)) not in found and is_type_param(loader, path):
                found.append(path)
    return found


def type_vars_in(annotation: griffe.Expr | str, loader: ModuleLoader) -> set[str]:
    """The paths of the type variables an annotation names."""
    if isinstance(annotation, str):
        return set()
    return {
        path
        for item in annotation.iterate(flat=True)
        if isinstance(item, griffe.ExprName) and "." in (path := loader.path_of(item)) and is_type_param(loader, path)
    }


def owned_type_params(owner: griffe.Class, loader: ModuleLoader) -> frozenset[str]:
    """The type parameters of a class and of its bases: those its members' annotations may use freely."""
    return frozenset(param for base in linearize(owner, loader, []) for param in type_params(base.cls, loader))


def direct_bases(cls: griffe.Class, subst: Subst, loader: ModuleLoader, warnings: list[str], *, whole: bool = True) -> list[Base]:
    """The bases of ``cls`` with their type arguments (``whole``: as ``class_at`` reads them)."""
    out: list[Base] = []
    for expr in cls.bases:
        path = base_path(expr)
        if path in _NOT_BASES:
            continue
        resolved = class_at(loader, path, whole=whole)
        if resolved is None:
            warnings.append(f"base class {path} cannot be found; its members are left out")
            continue
        params = type_params(resolved, loader)
        args = _arguments(expr)
        mapping: Subst = {}
        for index, param in enumerate(params):
            if args is not None and index < len(args):
                mapping[param] = (args[index], subst)
            else:
                mapping[param] = ("Any", {})
        out.append(Base(resolved, mapping))
    return out


def class_at(loader: ModuleLoader, path: str, *, whole: bool = True) -> griffe.Class | None:
    """The class at ``path``, through names assigned a class (``AsyncACLCommands = ACLCommands``), with its
    body (``whole``; else perhaps cut to its annotations and descriptor methods, see ModuleLoader). A
    module not visited yet is visited for this class only (``ModuleLoader.focus_on``)."""
    module, _, name = loader.text_path(path).rpartition(".")
    if module:
        loader.focus_on(module, name)
    found = loader.resolve(path)
    for _ in range(_ALIAS_HOPS):
        if not (isinstance(found, griffe.Attribute) and isinstance(found.value, (griffe.ExprName, griffe.ExprAttribute))):
            break
        found = loader.resolve(base_path(found.value))
    if not isinstance(found, griffe.Class):
        return None
    return loader.whole_class(found) if whole else found


def linearize(cls: griffe.Class, loader: ModuleLoader, warnings: list[str]) -> list[Base]:
    """The class and its bases in C3 order (depth-first, left to right where C3 has no answer)."""
    cache: dict[str, list[Base]] = {}

    def walk(base: Base, depth: int) -> list[Base]:
        known = cache.get(base.cls.path)
        if known is not None:
            return known
        cache[base.cls.path] = [base]  # cycles end here
        parents = direct_bases(base.cls, base.subst, loader, warnings) if depth < 64 else []
        result = [base, *_merge([walk(p, depth + 1) for p in parents] + [parents])]
        cache[base.cls.path] = result
        return result

    return walk(Base(cls, {}), 0)


def _merge(sequences: list[list[Base]]) -> list[Base]:
    pending = [list(s) for s in sequences if s]
    out: list[Base] = []
    while pending:
        for seq in pending:
            head = seq[0]
            if not any(head.cls.path in (b.cls.path for b in other[1:]) for other in pending):
                break
        else:
            head = pending[0][0]  # inconsistent order: keep the first
        if head.cls.path not in (b.cls.path for b in out):
            out.append(head)
        pending = [[b for b in s if b.cls.path != head.cls.path] for s in pending]
        pending = [s for s in pending if s]
    return out


def members(bases: list[Base], loader: ModuleLoader) -> list[tuple[str, griffe.Object, Base]]:
    """Every member a class has, from the first class in ``bases`` that defines it; own members in
    source order first."""
    seen: set[str] = set()
    out: list[tuple[str, griffe.Object, Base]] = []
    for base in bases:
        rows: list[tuple[int, str, griffe.Object]] = []
        for name, member in base.cls.members.items():
            if name in seen or member.inherited:
                continue
            obj: griffe.Object | None
            obj = loader.resolve(member.target_path) if isinstance(member, griffe.Alias) else member
            seen.add(name)
            if obj is not None and obj.kind is not griffe.Kind.CLASS:
                rows.append((obj.lineno or 0, name, obj))
        for name, overloads in getattr(base.cls, "overloads", {}).items():
            if name not in seen and overloads and isinstance(overloads[-1], griffe.Function):
                seen.add(name)  # a stub's overloads with no implementation after them
                last = overloads[-1]
                last.overloads = list(overloads)
                rows.append((overloads[0].lineno or 0, name, last))
        rows.sort(key=lambda row: row[0] if base is bases[0] else 0)
        out += [(name, obj, base) for _, name, obj in rows]
    return out
