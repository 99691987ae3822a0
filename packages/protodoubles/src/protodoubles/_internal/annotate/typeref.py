"""A type as text plus what its names stand for, so it can be written into another file with imports."""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass
from pathlib import Path

import griffe

from protodoubles._internal.annotate.reader import binding

_BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass(frozen=True)
class TypeRef:
    text: str
    names: tuple[tuple[str, str | None], ...]  # each free name in text -> the full path it is bound to (None: a builtin)

    @staticmethod
    def parse(text: str, **bound: str) -> TypeRef:
        """A type written against the given bindings (for pytest's built-in fixtures)."""
        expression = griffe.safe_get_annotation(ast.parse(text, mode="eval").body, parent=griffe.Module("_builtin_fixtures"))
        assert expression is not None
        return TypeRef(text, tuple((n, bound.get(n)) for n in free_names(expression)))


def free_names(expression: griffe.Expr | str) -> list[str]:
    """The names an expression needs bound: the first name of every dotted chain."""
    if isinstance(expression, str):
        return []
    found: list[str] = []
    for part in expression.iterate(flat=True):
        if isinstance(part, griffe.ExprName) and not isinstance(part.parent, griffe.ExprName) and part.name not in found:
            found.append(part.name)
    return found


def from_expression(expression: griffe.Expr | str, module: griffe.Module, importable: bool = True) -> TypeRef | str:
    """A type written in ``module``; or why it cannot be carried to another file."""
    if isinstance(expression, str):
        return f"annotation {expression!r} is not an expression"
    names: list[tuple[str, str | None]] = []
    where = module.filepath.name if isinstance(module.filepath, Path) else module.path
    for name in free_names(expression):
        full = binding(module, name)
        if full is None and name not in _BUILTIN_NAMES:
            return f"the name {name!r} in {expression} is not bound in {where}"
        if full is not None and full.startswith(f"{module.path}.") and not importable:
            return f"{name!r} is defined in {where}, which is not in a package and cannot be imported"
        names.append((name, full))
    return TypeRef(str(expression), tuple(names))


def yielded(expression: griffe.Expr | str) -> griffe.Expr | str | None:
    """``T`` out of ``Iterator[T]``, ``Generator[T, ...]``, ``AsyncIterator[T]``, ``AsyncGenerator[T, ...]``."""
    if not isinstance(expression, griffe.ExprSubscript):
        return None
    left = str(expression.left).rsplit(".", 1)[-1]
    if left not in {"Iterator", "Iterable", "Generator", "AsyncIterator", "AsyncIterable", "AsyncGenerator"}:
        return None
    inner = expression.slice
    if isinstance(inner, griffe.ExprTuple):
        return inner.elements[0] if inner.elements else None
    return inner
