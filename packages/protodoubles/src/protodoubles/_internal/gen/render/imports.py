"""The imports a generated protocol needs: every name its annotations use, from where it is defined;
bare generics given their ``Any`` arguments; inherited type parameters replaced by their arguments."""

from __future__ import annotations

import builtins
import dataclasses
import functools
import importlib.util
import re
from collections.abc import Set as AbstractSet

import griffe

from protodoubles._internal.gen.load import scan
from protodoubles._internal.gen.load.loading import ModuleLoader
from protodoubles._internal.gen.model.bases import Subst, type_params
from protodoubles._internal.gen.render.bare_generics import _ANY, BARE_GENERICS
from protodoubles._internal.gen.render.private_stubs import alias_value, bound_type_var

_BUILTIN_NAMES = frozenset(vars(builtins))
# `TypeVar("_T")` or `TypeVar("_T", bound=Any)`: a TypeVar the protocol can declare itself, instead of importing
# a stub's private name (`from typing import _T`) or one bound to Any (mypy rejects a class against overloads
# that use that one)
_WORD_END = re.compile(r"\b", re.MULTILINE)  # after a name that starts a line: the name, not a prefix of another
_PLAIN_TYPE_VAR = re.compile(r"(?:typing(?:_extensions)?\.)?TypeVar\(([\'\"])\w+\1(?:, bound=(?:typing\.)?Any)?\)")


class Imports:
    """Every name the annotations use, imported from where it is defined."""

    def __init__(self, loader: ModuleLoader) -> None:
        self.loader = loader
        self.bound: dict[str, str] = {}  # local name -> canonical path
        self.unresolved: set[str] = set()
        self.shadowed: AbstractSet[str] = frozenset()  # the protocol's member names: they hide these names
        self.class_paths: AbstractSet[str] = frozenset()  # the class and its bases: their members are not types
        self._followed: dict[str, str] = {}
        self._arity: dict[str, str] = {}
        self.declared_here: dict[str, str] = {}  # local name -> declaration the protocol module itself makes
        self._any_bound: dict[str, bool] = {}
        self._outer: dict[str, str | None] = {}
        self._typed: dict[str, bool] = {}  # top-level package -> whether mypy reads it typed
        self.untyped: set[str] = set()  # names written as Any: their packages carry no types
        self._expanding: set[str] = set()  # private stub aliases being written out (see private_stubs)
        self.submodules: set[str] = set()  # `importlib.metadata` of `importlib.metadata.Distribution`: imported whole

    def follow(self, path: str) -> str:
        """Where a re-exported name is defined: ``pkg.Timeout`` -> ``pkg._types.Timeout``."""
        found = self._followed.get(path)
        if found is None:
            module = path.rpartition(".")[0]
            public_stdlib = module.split(".")[0] in self.loader.stdlib and not any(p.startswith("_") for p in module.split("."))
            found = self._followed[path] = path if public_stdlib else self.loader.final_path(path)
        return found

    def add(self, local: str, canonical: str) -> str:
        """Bind ``local`` to ``canonical`` and return the name to write: ``local``, or an alias when
        ``local`` already means something else (two different ``IncEx`` types, say)."""
        if canonical.startswith("builtins.") and canonical.count(".") == 1 and canonical[9:] == local and local in _BUILTIN_NAMES:
            canonical = local  # `from builtins import list as _list` keeps its from-import
        if canonical == local and local in _BUILTIN_NAMES:
            if local in self.shadowed:
                self.bound["builtins"] = "builtins"
                return f"builtins.{local}"
            return local
        if "." in canonical:
            canonical = self.follow(canonical)
            outer = self._outer_class(canonical)
            if outer is not None:  # a class nested in a class: its outermost class is what can be imported
                return self.add(outer.rpartition(".")[2], outer) + canonical[len(outer) :]
            if self._untyped(canonical):  # mypy --strict refuses the import (import-untyped): Any is what holds
                self.untyped.add(canonical)
                return self.add("Any", "typing.Any")
        module, _, name = canonical.rpartition(".")
        if module == "typing_extensions" and name in _TYPING_NAMES:
            canonical = f"typing.{name}"  # one spelling, so that both backports and typing meet as one name
        if canonical in {"typing.Any", "typing.Self"}:
            local = name
        bound = bound_type_var(self.loader, canonical) if name.startswith("_") else None
        if bound is not None or self._bound_to_any(canonical):
            # a plain TypeVar (see _PLAIN_TYPE_VAR), or a stub's private one: the protocol declares its own
            canonical = f"<here>.{name}"
        candidate, counter = local, 1
        while ((known := self.bound.get(candidate)) is not None and known != canonical) or candidate in self.shadowed:
            counter += 1
            candidate = f"{local}_{counter}"
        self.bound[candidate] = canonical
        if canonical.startswith("<here>."):
            self.declared_here[candidate] = f"{candidate} = TypeVar({candidate!r}{f', bound={bound}' if bound else ''})"
        return candidate

    def _bound_to_any(self, path: str) -> bool:
        known = self._any_bound.get(path)
        if known is None:
            module, _, name = path.rpartition(".")
            source = self.loader.text(module) if module and self.loader.loaded(module) is None else None
            value = (scan.type_var_call(source[0], name) or "") if source is not None else None  # imported: not one
            if value is None:
                found = self.loader.resolve(path) if "." in path else None
                value = str(found.value) if isinstance(found, griffe.Attribute) else ""
            known = self._any_bound[path] = _PLAIN_TYPE_VAR.fullmatch(value) is not None
        return known

    def canonical(self, item: griffe.ExprName) -> str:
        path = self.loader.path_of(item)
        owner, _, name = path.rpartition(".")
        if "(" in path:  # a parameter's annotation naming another parameter: the name outside the function
            scope: object = item.parent
            while isinstance(scope, (griffe.Function, griffe.Class)):
                scope = scope.parent
            if isinstance(scope, griffe.Module):
                try:
                    return scope.resolve(item.name)
                except griffe.NameResolutionError:
                    return item.name
        if owner in self.class_paths and name in _BUILTIN_NAMES:
            return name  # `set[str]` in a class that has a method `set`: griffe resolves it to the method
        if owner in self.class_paths and not isinstance(member := self.loader.get(path), (griffe.Class, type(None))):
            try:  # `-> date` in a class with a method `date`: the name the module imports
                return member.module.resolve(name)
            except griffe.NameResolutionError:
                return path
        return path

    def render(
        self, expr: griffe.Expr | str, replace: AbstractSet[str] = frozenset(), with_name: str = "", subst: Subst | None = None
    ) -> str:
        """An annotation as written, each name imported (and aliased where it must be); names in
        ``replace`` written as ``with_name``; inherited type parameters in ``subst`` replaced."""
        if isinstance(expr, str):
            return expr
        nodes = _nodes(expr)
        found = [node for node in nodes if isinstance(node, griffe.ExprSubscript)]
        subscripted = {id(node.left) for node in found}
        attributes = [node for node in nodes if isinstance(node, griffe.ExprAttribute) and isinstance(node.first, griffe.ExprName)]
        chains = {id(node.first): str(node) for node in attributes}
        subscripted |= {id(node.first) for node in attributes if id(node) in subscripted}  # `a.B[...]`: its head too
        in_type = {id(name) for node in found if _names_type(node.left, self.loader) for name in _expr_names(node.slice)}
        # `os.PathLike` written bare: its last name is where the arguments go
        ends = {id(n.last): n for n in attributes if id(n) not in subscripted and id(n.first) not in in_type | subscripted}
        firsts = {id(n.first): n.canonical_path for n in attributes}
        parts: list[str] = []
        dropped = False  # the rest of a dotted name already written as Any
        for item in expr.iterate(flat=True):
            in_chain = item == "." or (isinstance(item, griffe.ExprName) and isinstance(item.parent, griffe.Expr))
            if dropped and in_chain:
                continue
            dropped = False
            if not isinstance(item, griffe.ExprName) or isinstance(item.parent, griffe.Expr):
                parts.append(str(item))
                if id(item) in ends and isinstance(item, griffe.ExprName):
                    parts.append(self.bare_arguments(self.follow(ends[id(item)].canonical_path)))
                continue
            if item.name in replace:
                parts.append(with_name)
                continue
            canonical = self.canonical(item)
            if subst and subst.get(firsts.get(id(item), "")) == ("Any", {}):
                parts.append(self.add("Any", "typing.Any"))  # `t.AnyStr` replaced whole
                dropped = True
                continue
            if subst and canonical in subst:
                value, inner = subst[canonical]
                parts.append(
                    self.render(value, replace, with_name, inner)
                    if not isinstance(value, str)
                    else self.add("Any", "typing.Any")
                    if value == "Any"
                    else value
                )
                continue
            if id(item) in chains and canonical == item.name and self._untyped(chains[id(item)]):
                self.untyped.add(chains[id(item)])  # `pygments.lexer.Lexer` through `import pygments.lexer`
                parts.append(self.add("Any", "typing.Any"))
                dropped = True
                continue
            if (
                "." not in canonical
                and canonical not in _BUILTIN_NAMES
                and self.loader.locate(canonical) is None
                and not _is_module(canonical)
            ):
                self.unresolved.add(chains.get(id(item), canonical))
                if id(item) not in subscripted:  # nothing to import it from (`jinja2.Environment`, jinja2 absent): Any
                    parts.append(self.add("Any", "typing.Any"))
                    dropped = id(item) in chains
                    continue
            alias = alias_value(self.loader, canonical) if id(item) not in subscripted | set(chains) else None
            if alias is not None:  # a stub's private alias: its value, a recursive one Any where it recurs
                parts.append(self.add("Any", "typing.Any") if canonical in self._expanding else self._expand(canonical, alias))
                continue
            parts.append(self.add(item.name, canonical))
            if id(item) in chains and canonical == item.name:
                self._submodule(chains[id(item)])
            if id(item) not in subscripted and id(item) not in chains and not (id(item) in in_type and _names_type(item, self.loader)):
                parts.append(self.bare_arguments(canonical))  # but a bare `type` inside `type[...]`, which must stay bare
        return "".join(parts)

    def _expand(self, path: str, value: griffe.Expr | str) -> str:
        self._expanding.add(path)
        try:
            return self.render(value)
        finally:
            self._expanding.discard(path)

    def _untyped(self, path: str) -> bool:
        """Whether ``path`` comes from an installed package that has neither a ``py.typed`` marker nor stubs:
        mypy gives such a module no types, and an import of it fails ``--strict``."""
        module = path.rpartition(".")[0]
        top = module.split(".")[0]
        if not top or top in self.loader.stdlib:
            return False
        if top not in self._typed:
            found = self.loader.locate(module)
            if found is None or found.suffix == ".pyi" or not {"site-packages", "dist-packages"} & set(found.parts):
                self._typed[top] = True  # stubs, or the project's own code, which mypy reads typed
            else:
                folder = found.parent
                while (folder.parent / "__init__.py").is_file():
                    folder = folder.parent
                # a module alone in site-packages has no folder for a marker: untyped
                self._typed[top] = (folder / "__init__.py").is_file() and (folder / "py.typed").is_file()
        return not self._typed[top]

    def _outer_class(self, path: str) -> str | None:
        """``pkg.mod.Outer`` for ``pkg.mod.Outer.Inner`` (a path whose parent is no module); None otherwise."""
        if path not in self._outer:
            parts = path.split(".")
            found = None
            if len(parts) > 2 and not path.startswith("<here>.") and self.loader.locate(".".join(parts[:-1])) is None:
                depth = next((d for d in range(len(parts) - 2, 0, -1) if self.loader.locate(".".join(parts[:d])) is not None), 0)
                found = ".".join(parts[: depth + 1]) if depth else None
            self._outer[path] = found
        return self._outer[path]

    def _submodule(self, dotted: str) -> None:
        """``import a`` does not make ``a.b`` known to pyright unless ``a.b`` is imported: the longest module
        that ``dotted`` (``a.b.Name``) starts with is imported whole."""
        parts = dotted.split(".")
        for depth in range(len(parts) - 1, 1, -1):
            if self.loader.locate(".".join(parts[:depth])) is not None:
                self.submodules.add(".".join(parts[:depth]))
                return

    def bare_arguments(self, canonical: str) -> str:
        """``[Any]``, ``[Any, Any]``, ``[..., Any]``: what a bare generic means, written out for
        ``--strict``'s disallow_any_generics; empty for a name that is not generic."""
        path = f"builtins.{canonical}" if "." not in canonical else self.follow(canonical)
        if path.startswith("typing_extensions."):
            path = "typing." + path.split(".", 1)[1]
        known = BARE_GENERICS.get(path)
        if known is None and path.startswith(("typing.", "builtins.", "collections.abc.")):
            known = ""
        if known is None:
            known = self._arity.get(path)
            if known is None:
                known = self._arity[path] = _class_arguments(self.loader, path)
        return known.replace(_ANY, self.add("Any", "typing.Any")) if known else ""

    def lines(self, used: AbstractSet[str] | None = None) -> list[str]:
        """The import lines, only for the local names in ``used`` when it is given."""
        plain: list[str] = []
        from_imports: dict[str, list[str]] = {}
        for local, canonical in self.bound.items():
            if used is not None and local not in used:
                continue
            if canonical.startswith("<here>."):
                continue
            if "." not in canonical:
                if canonical in self.unresolved or any(name.startswith(canonical + ".") for name in self.unresolved):
                    continue
                whole = sorted(sub for sub in self.submodules if sub.startswith(canonical + ".")) if local == canonical else []
                plain += [f"import {sub}" for sub in whole] or [f"import {canonical}" + (f" as {local}" if local != canonical else "")]
            else:
                module, name = canonical.rsplit(".", 1)
                from_imports.setdefault(module, []).append(name if name == local else f"{name} as {local}")
        out = sorted(plain)
        out += [f"from {m} import {', '.join(sorted(names))}" for m, names in sorted(from_imports.items())]
        return out


_TYPING_NAMES = frozenset(["Any", "Self", "Protocol", "TypeVar", "ParamSpec", "TypeVarTuple", "Unpack", "Concatenate", "Literal", "Final", "ClassVar", "Annotated", "TypeAlias", "TypeGuard", "Never", "NoReturn", "LiteralString", "Required", "NotRequired", "TypedDict", "overload", "override", "final", "runtime_checkable", "Callable", "Awaitable", "AsyncIterator", "AsyncGenerator", "Iterator", "Generator", "Coroutine", "Mapping", "Sequence"])  # fmt: skip


def _class_arguments(loader: ModuleLoader, path: str) -> str:
    """``[Any, ...]`` for a generic class used bare, one ``Any`` per type parameter."""
    if "." not in path:
        return ""
    module, _, name = path.rpartition(".")
    source = loader.text(module) if loader.loaded(module) is None else None
    bases = scan.class_bases(source[0], name) if source is not None else None
    if bases is not None and "[" not in bases:
        return ""  # not generic: no base takes type arguments
    generic = re.search(r"\b(?:Generic|Protocol)\[([^\[\]]*)\]", bases or "")
    if generic is not None:
        return "[" + ", ".join([_ANY] * len(generic[1].split(","))) + "]"
    if source is not None and bases is None and (scan.type_var_call(source[0], name) or scan.line_starting(source[0], name, _WORD_END)):
        return ""  # a TypeVar, a type alias or a constant, not a class
    if source is not None and bases is not None:
        count = _type_params_in_text(loader, module, source, bases)
        if count is not None:
            return "[" + ", ".join([_ANY] * count) + "]" if count else ""
    found = loader.resolve(path)
    if not isinstance(found, griffe.Class):
        return ""
    count = len(type_params(found, loader))
    return "[" + ", ".join([_ANY] * count) + "]" if count else ""


def _type_params_in_text(loader: ModuleLoader, module: str, source: tuple[str, bool], bases: str) -> int | None:
    """How many distinct TypeVars the subscripts of a class's bases use, read from text; None if unclear."""
    names: list[str] = []
    for inside in re.findall(r"\[([^\[\]]*)\]", bases):
        for name in re.findall(r"(?<![\w.])([A-Za-z_]\w*)(?![\w.(])", inside):
            if name in names:
                continue
            found = scan.binding(source[0], name, module, source[1])
            if found is None:
                return None
            target = loader.final_path(found.source) if found.source is not None else f"{module}.{name}"
            target_module, _, target_name = target.rpartition(".")
            text = loader.text(target_module) if target_module else None
            call = (scan.type_var_call(text[0], target_name) or "") if text is not None else None
            if call is None:
                return None
            if call:
                names.append(name)
    return len(names)


def subscripts(expr: griffe.Expr) -> list[griffe.ExprSubscript]:
    return [node for node in _nodes(expr) if isinstance(node, griffe.ExprSubscript)]


def _nodes(expr: griffe.Expr) -> list[griffe.Expr]:
    """Every node of an expression, itself included."""
    found: list[griffe.Expr] = []
    stack: list[object] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, griffe.Expr):
            found.append(node)
            stack.extend(getattr(node, name) for name in expression_fields(type(node)))
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return found


def expression_fields(kind: type[griffe.Expr]) -> tuple[str, ...]:
    """The fields of an expression class that hold its parts (not the link to its parent)."""
    found = _FIELDS.get(kind)
    if found is None:
        found = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.name != "parent")
    return found


_FIELDS: dict[type[griffe.Expr], tuple[str, ...]] = {}


_TYPE_PATHS = frozenset({"type", "builtins.type", "typing.Type", "typing_extensions.Type"})


def _names_type(expr: griffe.Expr | str, loader: ModuleLoader) -> bool:
    return isinstance(expr, griffe.ExprName) and loader.path_of(expr) in _TYPE_PATHS


def _expr_names(expr: griffe.Expr | str) -> list[griffe.ExprName]:
    return [item for item in expr.iterate(flat=True) if isinstance(item, griffe.ExprName)] if isinstance(expr, griffe.Expr) else []


@functools.cache
def _is_module(name: str) -> bool:
    """Whether a top-level name is an importable module (found, not imported)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
