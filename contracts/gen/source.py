"""Facts griffe does not record, read from a class's own syntax tree: which methods are async
generators, and which attributes are assigned through ``self`` outside ``__init__``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass(frozen=True)
class SelfAttribute:
    """``self.<name> = value`` or ``self.<name>: annotation = value`` inside a method."""

    name: str
    annotation: str | None
    value: ast.expr | None
    lineno: int


@dataclass
class ClassFacts:
    async_generators: set[str] = field(default_factory=set)
    self_attributes: dict[str, SelfAttribute] = field(default_factory=dict)


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """Every node of a function's own body, not descending into nested functions, lambdas or classes."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, _NESTED_SCOPES):
            stack.extend(ast.iter_child_nodes(node))


def _find_class(tree: ast.Module, qualname: str, lineno: int | None) -> ast.ClassDef | None:
    body: list[ast.stmt] = tree.body
    found: ast.ClassDef | None = None
    for part in qualname.split("."):
        candidates = [n for n in body if isinstance(n, ast.ClassDef) and n.name == part]
        if not candidates:
            return None
        found = candidates[-1]
        body = found.body
    if found is not None and lineno is not None and found.lineno != lineno:
        # the same name defined twice (e.g. in if/else): take the one griffe saw
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name == found.name and node.lineno == lineno:
                return node
    return found


def class_facts(tree: ast.Module, qualname: str, lineno: int | None = None) -> ClassFacts:
    facts = ClassFacts()
    node = _find_class(tree, qualname, lineno)
    if node is None:
        return facts
    for item in node.body:
        if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        own = list(_own_nodes(item))
        if isinstance(item, ast.AsyncFunctionDef) and any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own):
            facts.async_generators.add(item.name)
        args = item.args.posonlyargs + item.args.args
        decorators = {d.id for d in item.decorator_list if isinstance(d, ast.Name)}
        if not args or decorators & {"staticmethod", "classmethod"}:
            continue
        self_name = args[0].arg
        for sub in own:
            for target, annotation, value in _assignments(sub):
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == self_name
                ):
                    known = facts.self_attributes.get(target.attr)
                    text = ast.unparse(annotation) if annotation is not None else None
                    if known is None or (known.annotation is None and text is not None):
                        facts.self_attributes[target.attr] = SelfAttribute(target.attr, text, value, sub.lineno)  # type: ignore[attr-defined]  # every assignment node has a lineno
    return facts


def _assignments(node: ast.AST) -> Iterator[tuple[ast.expr, ast.expr | None, ast.expr | None]]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            for leaf in _flatten(target):
                yield leaf, None, node.value if leaf is target else None
    elif isinstance(node, ast.AnnAssign):
        yield node.target, node.annotation, node.value
    elif isinstance(node, ast.AugAssign):
        yield node.target, None, None


def _flatten(target: ast.expr) -> Iterator[ast.expr]:
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _flatten(element)
    else:
        yield target


_TREES: dict[tuple[Path, int, int], ast.Module] = {}


def parse_file(path: Path) -> ast.Module:
    """The syntax tree of a file, parsed once per version of the file."""
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    tree = _TREES.get(key)
    if tree is None:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        _TREES[key] = tree
    return tree


def literal_type(value: ast.expr | None) -> str | None:
    """The type name of a simple literal, as mypy would infer it for an unannotated assignment."""
    if isinstance(value, ast.Constant) and value.value is not None and not isinstance(value.value, type(...)):
        return type(value.value).__name__
    return None
