"""Facts griffe does not record, read from a method's syntax tree while griffe visits it (a griffe
extension, so nothing is parsed twice): whether it is an async generator, and which attributes it
assigns through ``self`` (mypy counts those in any method; griffe only in ``__init__``)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import griffe

_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_STATEMENT_HOLDERS = (ast.stmt, ast.excepthandler, ast.match_case)  # what a statement can stand in
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
EXTRA_KEY = "gen_protocol"


class SelfAttribute(NamedTuple):
    """``self.<name> = value`` or ``self.<name>: annotation = value`` inside a method."""

    name: str
    annotation: str | None
    value: ast.expr | None
    lineno: int


@dataclass
class ClassFacts:
    async_generators: set[str] = field(default_factory=set)
    self_attributes: dict[str, SelfAttribute] = field(default_factory=dict)

    def add(self, name: str, is_async_generator: bool, attributes: dict[str, SelfAttribute]) -> None:
        if is_async_generator:
            self.async_generators.add(name)
        for attr, found in attributes.items():
            known = self.self_attributes.get(attr)
            if known is None or (known.annotation is None and found.annotation is not None):
                self.self_attributes[attr] = found


def _own_nodes(function: FunctionNode, *, statements_only: bool = False) -> Iterator[ast.AST]:
    """Every node of a function's own body (``statements_only``: every statement, which is all that an
    assignment can be), not descending into nested functions, lambdas or classes. The last statement
    comes first: the order in which a later one found for the same attribute is passed over."""
    kinds = _STATEMENT_HOLDERS if statements_only else ast.AST
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _NESTED_SCOPES):
            continue
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, kinds))
            elif isinstance(value, kinds):
                stack.append(value)


def function_facts(node: FunctionNode, text: str | None = None) -> tuple[bool, dict[str, SelfAttribute]]:
    """(is it an async generator, the attributes it assigns through its first parameter).

    ``text``, the function's source when known, lets most functions skip the tree walk."""
    args = node.args.posonlyargs + node.args.args
    decorators = {d.id for d in node.decorator_list if isinstance(d, ast.Name)}
    self_name = args[0].arg if args and not decorators & {"staticmethod", "classmethod"} else None
    want_yield = isinstance(node, ast.AsyncFunctionDef) and (text is None or "yield" in text)
    want_self = self_name is not None and (
        text is None or re.search(rf"\b{re.escape(self_name)}\.\w+\s*(?::[^=\n]*)?[-+*/|&]?=(?!=)", text) is not None
    )
    if not (want_yield or want_self):
        return False, {}
    if not want_self:
        return any(isinstance(sub, (ast.Yield, ast.YieldFrom)) for sub in _own_nodes(node)), {}
    is_generator = False
    attributes: dict[str, SelfAttribute] = {}
    for sub in _own_nodes(node, statements_only=not want_yield):
        if isinstance(sub, (ast.Yield, ast.YieldFrom)):
            is_generator = want_yield
        elif isinstance(sub, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            for target, annotation, value in _assignments(sub):
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == self_name:
                    text_annotation = ast.unparse(annotation) if annotation is not None else None
                    known = attributes.get(target.attr)
                    if known is None or (known.annotation is None and text_annotation is not None):
                        attributes[target.attr] = SelfAttribute(target.attr, text_annotation, value, sub.lineno)
    return is_generator, attributes


def _assignments(node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> Iterator[tuple[ast.expr, ast.expr | None, ast.expr | None]]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            for leaf in _flatten(target):
                yield leaf, None, node.value if leaf is target else None
    elif isinstance(node, ast.AnnAssign):
        yield node.target, node.annotation, node.value
    else:
        yield node.target, None, None


def _flatten(target: ast.expr) -> Iterator[ast.expr]:
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _flatten(element)
    else:
        yield target


class FactsExtension(griffe.Extension):
    """Keeps each method's syntax tree in ``Function.extra["gen_protocol"]`` while griffe visits it; the
    facts are read from it only for the classes a protocol is generated from (see ``facts_of_class``)."""

    def on_function_instance(self, *, node: ast.AST | griffe.ObjectNode, func: griffe.Function, agent: Any, **kwargs: Any) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and isinstance(func.parent, griffe.Class):
            func.extra[EXTRA_KEY] = {"node": node}
            # griffe lets a later `self.<name> = ...` replace the method among the class's members; the
            # checkers keep the method (see class_function)
            func.parent.extra.setdefault(EXTRA_KEY, {}).setdefault("functions", {}).setdefault(
                func.name, func
            )  # a getter before its setter


def class_function(klass: griffe.Class, name: str) -> griffe.Function | None:
    """The method ``name`` the class body defines, even where an assignment through ``self`` took its
    place among griffe's members."""
    member = klass.members.get(name)
    if isinstance(member, griffe.Function):
        return member
    found = klass.extra.get(EXTRA_KEY, {}).get("functions", {}).get(name)
    return found if isinstance(found, griffe.Function) else None


def function_facts_of(func: griffe.Function) -> tuple[bool, dict[str, SelfAttribute]]:
    """The facts of one method visited with the extension, computed once."""
    found = func.extra.get(EXTRA_KEY)
    if not found:
        return False, {}
    if "async_generator" not in found:
        lines: Sequence[str] = func.lines if func.lineno and func.endlineno else []
        found["async_generator"], found["self_attributes"] = function_facts(found["node"], "\n".join(lines) if lines else None)
    return found["async_generator"], found["self_attributes"]


def facts_of_class(klass: griffe.Class) -> ClassFacts:
    """The facts of a class's own methods (overloads included)."""
    facts = ClassFacts()
    for name, member in klass.members.items():
        if isinstance(member, griffe.Function):
            for function in [member, *(member.overloads or [])]:
                facts.add(name, *function_facts_of(function))
    return facts


def class_facts(tree: ast.Module, qualname: str) -> ClassFacts:
    """The same facts for a class found in a parsed module (for run-time checks)."""
    body: list[ast.stmt] = tree.body
    found: ast.ClassDef | None = None
    for part in qualname.split("."):
        found = next((n for n in reversed(body) if isinstance(n, ast.ClassDef) and n.name == part), None)
        if found is None:
            return ClassFacts()
        body = found.body
    facts = ClassFacts()
    for item in body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            facts.add(item.name, *function_facts(item))
    return facts


def literal_type(value: ast.expr | None) -> str | None:
    """The type name of a simple literal, as mypy would infer it for an unannotated assignment."""
    if isinstance(value, ast.Constant) and value.value is not None and not isinstance(value.value, type(...)):
        return type(value.value).__name__
    return None
