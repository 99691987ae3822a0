"""Reading test files and conftests with griffe, as the generator reads classes: one parse per file, the
syntax nodes kept by a griffe extension for the edits, names resolved through griffe's import tables."""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import griffe

from protodoubles._internal.annotate.fresh import search_paths
from protodoubles._internal.errors import AnnotateError
from protodoubles._internal.files import Snapshot, UnsafeWriteError, snapshot
from protodoubles._internal.gen.load.target import package_parts

EXTRA_KEY = "annotate_fixtures"
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class _NodeExtension(griffe.Extension):
    """Keeps the module's and each function's syntax node while griffe visits them: one parse per file."""

    def on_module_instance(self, *, node: ast.AST | griffe.ObjectNode, mod: griffe.Module, agent: Any, **kwargs: Any) -> None:
        if isinstance(node, ast.Module):
            mod.extra[EXTRA_KEY]["node"] = node

    def on_function_instance(self, *, node: ast.AST | griffe.ObjectNode, func: griffe.Function, agent: Any, **kwargs: Any) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            func.extra[EXTRA_KEY]["node"] = node


@dataclass
class Source:
    """One file read: its text, syntax tree and griffe module."""

    path: Path
    name: str  # dotted module name, as importable from the folder above its packages
    importable: bool  # inside a package: other files can import its names
    text: str  # newlines normalised to "\n", no BOM: what is planned on (snapshot.text)
    tree: ast.Module
    module: griffe.Module
    snapshot: Snapshot  # the bytes read, written back through protodoubles._internal.files.rewrite

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines, each with its "\\n": split at "\\n" only, as the parser counts lines (str.splitlines
        would also split at a form feed or U+2028)."""
        lines = [line + "\n" for line in self.text.split("\n")]
        lines[-1] = lines[-1][:-1]
        return lines if lines[-1] else lines[:-1]


@dataclass(frozen=True, eq=False)
class Fixture:
    name: str  # the name tests request (``@pytest.fixture(name=...)`` or the function's)
    function: griffe.Function
    node: FunctionNode
    source: Source
    owner: str | None  # the class it is defined in, or None at module level


@dataclass
class Scope:
    """The fixtures one level defines (a class, a module or a conftest), most recent definition wins."""

    source: Source
    fixtures: dict[str, Fixture] = field(default_factory=dict)


def module_name(path: Path) -> tuple[str, bool]:
    """The dotted name the file is importable as, and whether it lives in a package."""
    _, parts = package_parts(path)
    return ".".join(parts) or path.parent.name, (path.parent / "__init__.py").is_file()


def read(path: Path) -> Source:
    try:
        read_once = snapshot(path)
    except UnsafeWriteError as exc:
        raise AnnotateError(str(exc)) from None
    text = read_once.text
    name, importable = module_name(path)
    try:
        module = griffe.visit(name, filepath=path, code=text, extensions=griffe.load_extensions(_NodeExtension()))
    except SyntaxError as exc:
        raise AnnotateError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    tree = module.extra[EXTRA_KEY]["node"]
    assert isinstance(tree, ast.Module)
    return Source(path, name, importable, text, tree, module, read_once)


def node_of(function: griffe.Function) -> FunctionNode:
    node = function.extra[EXTRA_KEY].get("node")
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    return node


def fixture_name(function: griffe.Function) -> str | None:
    """The requested name if ``function`` is decorated with ``pytest.fixture`` (however imported)."""
    for decorator in function.decorators:
        if decorator.callable_path not in ("pytest.fixture", "_pytest.fixtures.fixture"):
            continue
        value = decorator.value
        if isinstance(value, griffe.ExprCall):
            for argument in value.arguments:
                if isinstance(argument, griffe.ExprKeyword) and argument.name == "name":
                    named = ast.literal_eval(str(argument.value))
                    if isinstance(named, str):
                        return named
        return function.name
    return None


def fixtures_in(members: dict[str, griffe.Object | griffe.Alias], source: Source, owner: str | None) -> dict[str, Fixture]:
    found: dict[str, Fixture] = {}
    for member in members.values():
        if isinstance(member, griffe.Function):
            name = fixture_name(member)
            if name is not None:
                found[name] = Fixture(name, member, node_of(member), source, owner)
    return found


# --- what a name in one module stands for ------------------------------------------------------------


def binding(module: griffe.Module, name: str) -> str | None:
    """The full path ``name`` is bound to in ``module`` (an import or a definition), None if unbound."""
    if name in module.imports:
        return module.imports[name]
    member = module.members.get(name)
    if member is not None and not member.is_alias:
        return f"{module.path}.{name}"
    return None


class Library:
    """Finds what a full path names (a class, a function...) by visiting only the files on the way,
    never a whole package: the module search path is the project root, then sys.path. Every file it looks
    for is kept in ``looked_up`` with the hash of the bytes it read (None: no file there), for the
    freshness records (protodoubles._internal.annotate.fresh)."""

    def __init__(self, root: Path) -> None:
        self.paths = search_paths(root)
        self._modules: dict[str, griffe.Module | None] = {}
        self.looked_up: dict[str, str | None] = {}

    def module(self, dotted: str) -> griffe.Module | None:
        if dotted not in self._modules:
            self._modules[dotted] = self._visit(dotted)
        return self._modules[dotted]

    def _visit(self, dotted: str) -> griffe.Module | None:
        relative = Path(*dotted.split("."))
        for folder in self.paths:
            for candidate in (
                folder / relative.with_suffix(".pyi"),
                folder / relative.with_suffix(".py"),
                folder / relative / "__init__.py",
            ):
                if not candidate.is_file():
                    self.looked_up[str(candidate)] = None
                    continue
                try:
                    data = candidate.read_bytes()
                except OSError:
                    self.looked_up[str(candidate)] = None
                    return None
                self.looked_up[str(candidate)] = hashlib.sha256(data).hexdigest()
                try:  # as read_text() decodes: a BOM dropped, every line ending read as "\n"
                    code = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
                    return griffe.visit(dotted, filepath=candidate, code=code)
                except (UnicodeDecodeError, SyntaxError):
                    return None
        return None

    def find(self, full: str, hops: int = 8) -> tuple[griffe.Object, griffe.Module] | None:
        """The object at ``full`` and the module it is defined in, following re-exports."""
        parts = full.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self.module(".".join(parts[:cut]))
            if module is None:
                continue
            obj: griffe.Object | griffe.Alias = module
            for part in parts[cut:]:
                child = obj.members.get(part) if not obj.is_alias else None
                if child is None:
                    return None
                obj = child
            if obj.is_alias:
                target = obj.target_path if isinstance(obj, griffe.Alias) else None
                return self.find(target, hops - 1) if target and hops > 0 else None
            assert isinstance(obj, griffe.Object)
            return obj, module
        return None
