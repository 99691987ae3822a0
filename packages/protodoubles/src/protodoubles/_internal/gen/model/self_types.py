"""Methods whose ``self`` is annotated: a self-type TypeVar (``def copy(self: U) -> U``, written ``Self``),
an overload meant for another kind of ``self`` (``self: SyncClientProtocol``), and the cases no protocol
form holds."""

from __future__ import annotations

import griffe

from protodoubles._internal.gen.load.loading import ModuleLoader
from protodoubles._internal.gen.model.bases import Base, is_type_param, type_params
from protodoubles._internal.gen.model.bases import members as class_members
from protodoubles._internal.gen.render.imports import Imports, subscripts


def labels(func: griffe.Function) -> set[str]:
    """griffe's labels, and those a stub overload's decorators say (griffe leaves those unlabelled)."""
    named = {str(d.value).rsplit(".", 1)[-1] for d in func.decorators}
    return set(func.labels) | (named & {"staticmethod", "classmethod"})


def self_type_names(func: griffe.Function, loader: ModuleLoader) -> set[str]:
    """TypeVar names of a self-typed method (``def copy(self: U) -> U``), to be rendered as Self."""
    params = list(func.parameters)
    if not params or params[0].annotation is None or isinstance(params[0].annotation, str):
        return set()
    annotation = params[0].annotation
    if isinstance(annotation, griffe.ExprSubscript) and str(annotation.left).rsplit(".", 1)[-1] in {"type", "Type"}:
        annotation = annotation.slice  # cls: type[U]
    if isinstance(annotation, griffe.ExprName) and is_type_param(loader, annotation.canonical_path):
        return {annotation.name}
    return set()


def self_applies(func: griffe.Function, bases: list[Base], loader: ModuleLoader, imports: Imports) -> bool:
    """Whether an overload with an annotated ``self`` (``self: SyncClientProtocol``) applies to the
    class: the class is that type, derives from it, or has the protocol's annotated attributes."""
    params = list(func.parameters)
    annotation = params[0].annotation if params and "staticmethod" not in labels(func) else None
    if isinstance(annotation, griffe.ExprSubscript) and not self_type_names(func, loader):
        # `self: MutableMapping[_KT, _T | None]`: an overload for some type arguments only; kept when
        # every argument is a bare TypeVar (it applies to all), else left out (the class keeps it anyway)
        index = annotation.slice
        arguments = index.elements if isinstance(index, griffe.ExprTuple) else [index]
        return all(isinstance(a, griffe.ExprName) and is_type_param(loader, a.canonical_path) for a in arguments)
    if not isinstance(annotation, (griffe.ExprName, griffe.ExprAttribute)) or self_type_names(func, loader):
        return True
    found = loader.resolve(imports.follow(annotation.canonical_path))
    if not isinstance(found, griffe.Class) or found.path in imports.class_paths:
        return True
    if not any(str(b).rsplit(".", 1)[-1] == "Protocol" for b in found.bases):
        return False
    mine = {name: obj for name, obj, _ in class_members(bases, loader)}
    for name, member in found.members.items():
        if isinstance(member, griffe.Attribute) and member.annotation is not None:
            own = mine.get(name)
            if not isinstance(own, griffe.Attribute) or str(own.annotation) != str(member.annotation):
                return False
    return True


def self_in_bounded_argument(func: griffe.Function, loader: ModuleLoader) -> bool:
    """A self-type TypeVar passed to a class whose parameter is bounded (``def add_subparsers(self: _T)
    -> _SubParsersAction[_T]``): ``Self`` there fails mypy (not within the bound), and pyright binds
    ``self`` to the protocol, where the overload no longer applies. No protocol form holds."""
    names = self_type_names(func, loader) if "staticmethod" not in labels(func) else set()
    return bool(names) and any(argument.name in names for argument, _, _ in _generic_arguments(func.returns, loader))


def bounded_self(func: griffe.Function, loader: ModuleLoader) -> set[str]:
    """The paths ``Self`` is spelled by where it is passed to a class whose type parameter is bounded by the
    real class (``def acquire(self) -> Proxy[Self]``): the protocol is not within that bound, so ``Self``
    cannot stay there (Any can). Empty when it is not."""
    return {
        path
        for a, head, index in _generic_arguments(func.returns, loader)
        if loader.final_path(path := loader.path_of(a)) in _SELF and _bounded(loader, head, index)  # also through a re-export
    }


def _generic_arguments(returns: griffe.Expr | str | None, loader: ModuleLoader) -> list[tuple[griffe.ExprName, str, int]]:
    """Each name given as a type argument to a class outside the standard generics: (name, class, place)."""
    found: list[tuple[griffe.ExprName, str, int]] = []
    for node in subscripts(returns) if isinstance(returns, griffe.Expr) else []:
        left = node.left
        head = (
            loader.path_of(left)
            if isinstance(left, griffe.ExprName)
            else left.canonical_path
            if isinstance(left, griffe.ExprAttribute)
            else ""
        )
        if "." not in head or head.startswith(("typing.", "typing_extensions.", "collections.", "builtins.", "contextlib.")):
            continue
        arguments = node.slice.elements if isinstance(node.slice, griffe.ExprTuple) else [node.slice]
        found += [(argument, head, index) for index, argument in enumerate(arguments) if isinstance(argument, griffe.ExprName)]
    return found


_SELF = frozenset({"typing.Self", "typing_extensions.Self"})


def _bounded(loader: ModuleLoader, path: str, index: int) -> bool:
    """Whether type parameter ``index`` of the generic class at ``path`` has a bound."""
    found = loader.resolve(loader.final_path(path))
    params = type_params(found, loader) if isinstance(found, griffe.Class) else []
    if index >= len(params):
        return False
    declaration = loader.resolve(params[index])
    return isinstance(declaration, griffe.Attribute) and "bound=" in str(declaration.value)
