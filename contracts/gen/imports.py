"""The imports a generated protocol needs: every name its annotations use, from where it resolves."""

from __future__ import annotations

import builtins
import functools
import importlib.util
import typing

import griffe

from contracts.gen.target import GenerationError


class Imports:
    """Every name the annotations use, imported from where griffe resolves it."""

    def __init__(self, modules: griffe.ModulesCollection) -> None:
        self.modules = modules
        self.bound: dict[str, str] = {}  # local name -> canonical path
        self.unresolved: set[str] = set()

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

    def add(self, local: str, canonical: str) -> None:
        if canonical == local and local in vars(builtins):
            return
        if "." in canonical:
            canonical = self.follow(canonical)
        module, _, name = canonical.rpartition(".")
        if module == "typing_extensions" and hasattr(typing, name):
            canonical = f"typing.{name}"  # one spelling, so that both backports and typing meet as one name
        known = self.bound.get(local)
        if known is not None and known != canonical:
            raise GenerationError(f"the name {local!r} means both {known} and {canonical}: rename one import")
        self.bound[local] = canonical

    def add_expr(self, expr: griffe.Expr | str) -> None:
        if isinstance(expr, str):
            return
        for item in expr.iterate(flat=True):
            if isinstance(item, griffe.ExprName) and not isinstance(item.parent, griffe.Expr):
                canonical = item.canonical_path
                if "." not in canonical and canonical not in vars(builtins) and not _is_module(canonical):
                    self.unresolved.add(canonical)
                self.add(item.name, canonical)

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


@functools.cache
def _is_module(name: str) -> bool:
    """Whether a top-level name is an importable module (found, not imported)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
