"""Quoted references inside annotations (``Union[str, "PathLike[str]"]``), parsed and resolved where they stand."""

from __future__ import annotations

import ast

import griffe

from protodoubles._internal.gen.render.imports import expression_fields


def unquote(expr: griffe.Expr | str, scope: griffe.Object | None) -> griffe.Expr | str:
    """``Union[str, "PathLike[str]"]`` -> ``Union[str, PathLike[str]]``, the quoted parts parsed with their
    names resolved in ``scope``; strings inside ``Literal[...]`` and ``Annotated`` metadata stay strings."""
    if isinstance(expr, str):
        return (_parse_quoted(expr, scope) or expr) if expr[:1] in _QUOTES else expr
    if isinstance(expr, griffe.ExprName):
        return expr  # a name holds no quoted part
    if isinstance(expr, griffe.ExprSubscript):
        left = expr.left
        head = left.name if isinstance(left, griffe.ExprName) else str(left).rsplit(".", 1)[-1]
        if head == "Literal":
            return expr
        if head == "Annotated" and isinstance(expr.slice, griffe.ExprTuple):
            elements = list(expr.slice.elements)
            elements[0] = unquote(elements[0], scope)
            expr.slice.elements = elements
            return expr
    for name in expression_fields(type(expr)):
        value = getattr(expr, name)
        if isinstance(value, (str, griffe.Expr)):
            replaced = unquote(value, scope)
            if replaced is not value:
                setattr(expr, name, replaced)
        elif isinstance(value, list):
            value[:] = [unquote(v, scope) if isinstance(v, (str, griffe.Expr)) else v for v in value]
    return expr


_QUOTES = ("'", '"')


def _parse_quoted(text: str, scope: griffe.Object | None) -> griffe.Expr | str | None:
    if scope is None or len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0]:
        return None
    try:
        inner = ast.literal_eval(text)
        node = ast.parse(inner, mode="eval").body if isinstance(inner, str) else None
    except (SyntaxError, ValueError):
        return None
    found = griffe.safe_get_annotation(node, parent=scope) if node is not None else None  # type: ignore[arg-type]  # a Module, Class or Function
    return unquote(found, scope) if found is not None else None
