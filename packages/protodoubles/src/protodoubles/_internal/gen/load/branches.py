"""The type checker's view of a module: ``if TYPE_CHECKING:``, ``sys.version_info`` and ``sys.platform``
branches decided the way mypy and pyright decide them, before griffe visits the tree.

griffe visits both branches of every ``if`` and the last definition wins, which is usually the run-time
one (``else:`` comes after ``if TYPE_CHECKING:``). A type checker reads only the branch it takes:
``TYPE_CHECKING`` is true, and version and platform checks are evaluated for the running interpreter.
"""

from __future__ import annotations

import ast
import operator
import sys
from collections.abc import Callable
from typing import Any

import griffe

from protodoubles._internal.gen.load.scan import kept_classes

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def _operand(node: ast.expr) -> object:
    """The value of one side of a version or platform comparison, or ``None`` when it is not one."""
    name = _dotted(node)
    if name in {"sys.version_info", "version_info"}:
        return tuple(sys.version_info[:3])
    if name in {"sys.platform", "platform"}:
        return sys.platform
    if isinstance(node, ast.Subscript) and _dotted(node.value) in {"sys.version_info", "version_info"}:
        index = node.slice
        if isinstance(index, ast.Slice) and index.lower is None and isinstance(index.upper, ast.Constant):
            upper = index.upper.value
            return tuple(sys.version_info[:upper]) if isinstance(upper, int) else None
        if isinstance(index, ast.Constant) and isinstance(index.value, int):
            return sys.version_info[index.value]
        return None
    if isinstance(node, ast.Tuple) and all(isinstance(e, ast.Constant) for e in node.elts):
        return tuple(e.value for e in node.elts if isinstance(e, ast.Constant))
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, str)):
        return node.value
    return None


def condition(test: ast.expr) -> bool | None:
    """True or False when a type checker decides ``test`` statically; None when it does not."""
    name = _dotted(test)
    if name is not None and name.rsplit(".", 1)[-1] == "TYPE_CHECKING":
        return True
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = condition(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        values = [condition(v) for v in test.values]
        if isinstance(test.op, ast.And):
            return False if False in values else None if None in values else True
        return True if True in values else None if None in values else False
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _COMPARE:
        left, right = _operand(test.left), _operand(test.comparators[0])
        if left is None or right is None or type(left) is not type(right):
            return None
        return _COMPARE[type(test.ops[0])](left, right)
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Attribute)
        and test.func.attr == "startswith"
        and _dotted(test.func.value) in {"sys.platform", "platform"}
        and len(test.args) == 1
    ):
        prefix = test.args[0]
        if isinstance(prefix, ast.Constant) and isinstance(prefix.value, str):
            return sys.platform.startswith(prefix.value)
    return None


def prune(body: list[ast.stmt]) -> list[ast.stmt]:
    """``body`` with every statically decided ``if`` replaced by the branch a type checker takes."""
    out: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, ast.If):
            decided = condition(statement.test)
            if decided is None:
                statement.body = prune(statement.body) or [_pass(statement)]
                statement.orelse = prune(statement.orelse)
                out.append(statement)
            else:
                out += prune(statement.body if decided else statement.orelse)
        elif isinstance(statement, ast.ClassDef):
            statement.body = prune(statement.body) or [_pass(statement)]
            out.append(statement)
        else:
            out.append(statement)
    return out


def _pass(where: ast.stmt) -> ast.stmt:
    return ast.copy_location(ast.Pass(), where)


_KEPT_IN_OTHER_CLASSES = frozenset({"__get__", "__set__", "__set_name__"})


def _base_names(node: ast.ClassDef) -> list[str]:
    heads = [base.value if isinstance(base, ast.Subscript) else base for base in node.bases]
    return [head.id for head in heads if isinstance(head, ast.Name)]


def _aliases(body: list[ast.stmt]) -> dict[str, list[str]]:
    """``AsyncACLCommands = ACLCommands`` at the top level: the name, and the name it is given."""
    found: dict[str, list[str]] = {}
    for node in body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = (
                node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id if isinstance(node.value, ast.Name) else None
            )
            if value is not None:
                found[node.targets[0].id] = [value]
    return found


def focus(body: list[ast.stmt], target: str) -> frozenset[str]:
    """In the target's own module, keep the target class and the classes of that module it derives from
    whole; of every other class keep its bases, annotations and descriptor methods (what an annotation
    that names it may need) and drop the rest, which griffe would otherwise visit for nothing. The names of
    the classes cut so: nothing when ``target`` is not a top-level class of ``body``."""
    classes = {node.name: node for node in body if isinstance(node, ast.ClassDef)}
    if target not in classes:
        return frozenset()
    keep = kept_classes(target, {**_aliases(body), **{name: _base_names(node) for name, node in classes.items()}})
    for name, node in classes.items():
        if name not in keep:
            node.body = [
                item
                for item in node.body
                if isinstance(item, ast.AnnAssign)
                or (isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in _KEPT_IN_OTHER_CLASSES)
            ] or [_pass(node)]
    return frozenset(classes) - keep


class TypeCheckerBranches(griffe.Extension):
    """Prunes each module's tree before griffe visits it (see the module docstring); in a module to visit
    for one class only (``targets``: the class by the module's file), also ``focus``, and records in
    ``cut`` the classes whose bodies it dropped."""

    def __init__(self) -> None:
        self.targets: dict[str, str] = {}
        self.cut: dict[str, frozenset[str]] = {}

    def on_module_node(self, *, node: ast.AST | griffe.ObjectNode, agent: Any, **kwargs: Any) -> None:
        if isinstance(node, ast.Module):
            node.body = prune(node.body)
            path = str(getattr(agent, "filepath", ""))
            target = self.targets.get(path)
            if target is not None:
                self.cut[path] = focus(node.body, target)
