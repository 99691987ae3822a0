"""What a generated protocol's text is checked for beyond type checking: expected members, absent text, unused imports."""

from __future__ import annotations

import ast
import re

from tests.corpus.targets import Target

_COUNTS = re.compile(r"(\d+)/(\d+) annotations present")


def problems_in(text: str, target: Target, strength: str | None) -> tuple[str, ...]:
    """Each expectation of ``target`` that the protocol ``text`` or its contract-strength line misses,
    and every import that nothing uses."""
    module = ast.parse(text)
    members = protocol_members(module, target.protocol_name)
    found = [f"member {name!r} missing" for name in target.members if name not in members]
    found += [f"contains {snippet!r}" for snippet in target.absent if snippet in text]
    if target.typed:
        counts = _COUNTS.search(strength or "")
        if counts is None or counts[1] != counts[2]:
            found.append(f"annotations missing where type checkers see them all: {strength}")
    found += [f"unused import {name!r}" for name in unused_imports(module)]
    return tuple(found)


def protocol_members(module: ast.Module, class_name: str) -> set[str]:
    """Names the protocol class declares: methods, properties and annotated or assigned attributes."""
    names: set[str] = set()
    for node in module.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
                elif isinstance(item, ast.Assign):
                    names.update(target.id for target in item.targets if isinstance(target, ast.Name))
    return names


def unused_imports(module: ast.Module) -> list[str]:
    """Names bound by imports (``__future__`` aside) that no expression or quoted annotation uses."""
    imported: list[str] = []
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            imported += [alias.asname or alias.name for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Import):
            imported += [alias.asname or alias.name.partition(".")[0] for alias in node.names]
    used = _names_in(module)
    for annotation in _annotations(module):
        for node in ast.walk(annotation):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                try:
                    used |= _names_in(ast.parse(node.value, mode="eval"))
                except SyntaxError:
                    continue
    return [name for name in imported if name not in used]


def _names_in(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def _annotations(module: ast.Module) -> list[ast.expr]:
    found: list[ast.expr] = []
    for node in ast.walk(module):
        if isinstance(node, ast.AnnAssign):  # noqa: SIM114  # the arms narrow node to different types for mypy
            found.append(node.annotation)
        elif isinstance(node, ast.arg) and node.annotation is not None:
            found.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            found.append(node.returns)
    return found
