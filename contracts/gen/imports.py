"""The imports a generated protocol needs: every name its annotations use, from where it resolves."""

from __future__ import annotations

import ast
import builtins
import dataclasses
import functools
import importlib.util
import typing
from collections.abc import Set as AbstractSet

import griffe



class Imports:
    """Every name the annotations use, imported from where griffe resolves it."""

    def __init__(self, modules: griffe.ModulesCollection) -> None:
        self.modules = modules
        self.bound: dict[str, str] = {}  # local name -> canonical path
        self.unresolved: set[str] = set()
        self._canonical: dict[tuple[int, str], str] = {}  # (scope, name) -> canonical path: names repeat a lot
        self._followed: dict[str, str] = {}

    def follow(self, path: str) -> str:
        """Follow re-exports as far as the loaded modules go: ``pkg._types.Timeout`` -> ``httpx.Timeout``.
        (griffe stops at an alias whose target package is not loaded.)"""
        for _ in range(16):
            try:
                found = self.modules.get_member(path)
            except (KeyError, ValueError, AttributeError, griffe.AliasResolutionError):
                return path
            if not isinstance(found, griffe.Alias) or found.target_path == path:
                return path
            path = found.target_path
        return path

    def add(self, local: str, canonical: str) -> str:
        """Bind ``local`` to ``canonical`` and return the name to write: ``local``, or an alias when
        ``local`` already means something else (two different ``IncEx`` types, say)."""
        if canonical == local and local in vars(builtins):
            return local
        if "." in canonical:
            followed = self._followed.get(canonical)
            if followed is None:
                followed = self._followed[canonical] = self.follow(canonical)
            canonical = followed
        module, _, name = canonical.rpartition(".")
        if module == "typing_extensions" and hasattr(typing, name):
            canonical = f"typing.{name}"  # one spelling, so that both backports and typing meet as one name
        candidate, counter = local, 1
        while (known := self.bound.get(candidate)) is not None and known != canonical:
            counter += 1
            candidate = f"{local}_{counter}"
        self.bound[candidate] = canonical
        return candidate

    def render(self, expr: griffe.Expr | str, replace: AbstractSet[str] = frozenset(), with_name: str = "") -> str:
        """An annotation as written, each top-level name imported (and aliased where it must be);
        names in ``replace`` are written as ``with_name`` instead."""
        if isinstance(expr, str):
            return expr
        items = list(expr.iterate(flat=True))
        subscripted: set[int] = set()
        if any(isinstance(item, griffe.ExprName) and item.name in _BARE_GENERICS for item in items):
            subscripted = {id(node.left) for node in _walk(expr) if isinstance(node, griffe.ExprSubscript)}
        parts: list[str] = []
        for item in items:
            if isinstance(item, griffe.ExprName) and not isinstance(item.parent, griffe.Expr):
                if item.name in replace:
                    parts.append(with_name)
                    continue
                key = (id(item.parent), item.name)
                canonical = self._canonical.get(key) or self._canonical.setdefault(key, item.canonical_path)
                if "." not in canonical and canonical not in vars(builtins) and not _is_module(canonical):
                    self.unresolved.add(canonical)
                parts.append(self.add(item.name, canonical))
                if canonical in _BARE_GENERICS and id(item) not in subscripted:
                    # a bare `set` means set[Any]; written out, it passes mypy --strict's disallow_any_generics
                    parts.append("[" + ", ".join([self.add("Any", "typing.Any")] * _BARE_GENERICS[canonical]) + "]")
            else:
                parts.append(str(item))
        return "".join(parts)

    def lines(self) -> list[str]:
        plain: list[str] = []
        from_imports: dict[str, list[str]] = {}
        for local, canonical in self.bound.items():
            if "." not in canonical:
                if canonical in self.unresolved:
                    continue
                plain.append(f"import {canonical}" + (f" as {local}" if local != canonical else ""))
            else:
                module, name = canonical.rsplit(".", 1)
                from_imports.setdefault(module, []).append(name if name == local else f"{name} as {local}")
        out = sorted(plain)
        out += [f"from {m} import {', '.join(sorted(names))}" for m, names in sorted(from_imports.items())]
        return out


_BARE_GENERICS = {"list": 1, "set": 1, "frozenset": 1, "dict": 2, "type": 1}


def _walk(expr: griffe.Expr) -> list[griffe.Expr]:
    """Every expression node under ``expr``, itself included."""
    found: list[griffe.Expr] = []
    stack: list[object] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, griffe.Expr):
            found.append(node)
            stack.extend(getattr(node, f.name) for f in dataclasses.fields(node) if f.name != "parent")
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return found


@functools.cache
def _is_module(name: str) -> bool:
    """Whether a top-level name is an importable module (found, not imported)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def resolve_names(tree: ast.Expression, scope: griffe.Object, imports: Imports) -> str:
    """Source text of an annotation parsed from a string, each name imported from where ``scope``
    resolves it and renamed where an alias was needed."""

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.Name:
            try:
                canonical = scope.resolve(node.id)
            except griffe.NameResolutionError:
                canonical = node.id
            return ast.copy_location(ast.Name(id=imports.add(node.id, canonical), ctx=node.ctx), node)

    return ast.unparse(Rename().visit(tree))
