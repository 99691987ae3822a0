"""Overloads that overlap: the protocol acknowledges an overlap where the library does (``# type:
ignore[overload-overlap]``, as typeshed and numpy write it) and where pyright would report one the protocol
copies from the library (``get_data(as_text: Literal[False] = ...)`` beside ``get_data(as_text:
Literal[True] = ...)``: a call with no argument matches both). The class itself is fine either way; only
the protocol's declaration would fail a checker."""

from __future__ import annotations

import ast

import griffe

PYRIGHT = "pyright: ignore[reportOverlappingOverload]"
_OPEN = frozenset({"Any", "typing.Any", "t.Any", "object"})  # a parameter type every argument matches


def source_ignores(func: griffe.Function) -> str:
    """The overlap the source acknowledges on an overload, acknowledged the same way on the protocol's copy;
    where only pyright sees the overlap, mypy would call its ignore unused: that is acknowledged too."""
    text = "\n".join(func.lines) if func.lineno and func.endlineno else ""
    found = ["type: ignore[overload-overlap, unused-ignore]"] if "overload-overlap" in text else []
    found += [PYRIGHT] if "reportOverlappingOverload" in text else []
    return "".join(f"  # {comment}" for comment in found)


def acknowledged(lines: list[str]) -> list[str]:
    """The rendered overloads, each that a later one with another return overlaps acknowledging it for pyright."""
    defs = [i for i, line in enumerate(lines) if line.startswith(("    def ", "    async def "))]
    parsed = [_signature(lines[i]) for i in defs]
    out = list(lines)
    for k, i in enumerate(defs):
        first = parsed[k]
        if PYRIGHT not in lines[i] and first is not None and any(later and _overlap(first, later) for later in parsed[k + 1 :]):
            out[i] = f"{lines[i]}  # {PYRIGHT}"
    return out


_Params = dict[str, tuple[str, bool]]  # name -> (annotation, has a default)


def _signature(line: str) -> tuple[_Params, bool, str] | None:
    """The parameters of a rendered ``def``, whether it takes ``**kwargs``, and its return."""
    try:
        node = ast.parse(line.strip().split("  # ", 1)[0]).body[0]
    except SyntaxError:
        return None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults = [False] * (len(positional) - len(args.defaults)) + [True] * len(args.defaults)
    params = {a.arg: (ast.unparse(a.annotation) if a.annotation else "Any", d) for a, d in zip(positional[1:], defaults[1:], strict=True)}
    params |= {
        a.arg: (ast.unparse(a.annotation) if a.annotation else "Any", d is not None)
        for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    }
    return params, args.kwarg is not None, ast.unparse(node.returns) if node.returns else ""


def _overlap(first: tuple[_Params, bool, str], later: tuple[_Params, bool, str]) -> bool:
    """Whether a call the first overload takes is taken by the later one too, which returns another type."""
    params, _, returns = first
    others, kwargs, other_returns = later
    if returns == other_returns or any(not default and name not in params for name, (_, default) in others.items()):
        return False  # the same return, or the later one needs an argument the first never gets
    for name, (annotation, default) in params.items():
        other = others.get(name)
        if other is None:
            if not (default or kwargs):
                return False
        elif not (_covers(annotation, other[0]) or (default and other[1])):
            return False
    return True


def _covers(narrow: str, wide: str) -> bool:
    """Whether every value of type ``narrow`` is one of ``wide``, as far as the text shows: the same type,
    an open one, or a union of fewer members (``Iterable[str | bytes]`` covers ``Iterable[str]``)."""
    if narrow == wide or wide in _OPEN:
        return True
    try:
        a, b = ast.parse(narrow, mode="eval").body, ast.parse(wide, mode="eval").body
    except SyntaxError:
        return False
    if isinstance(a, ast.Subscript) and isinstance(b, ast.Subscript):
        if ast.unparse(a.value) != ast.unparse(b.value):
            return False
        inner_a = a.slice.elts if isinstance(a.slice, ast.Tuple) else [a.slice]
        inner_b = b.slice.elts if isinstance(b.slice, ast.Tuple) else [b.slice]
        return len(inner_a) == len(inner_b) and all(_covers(ast.unparse(x), ast.unparse(y)) for x, y in zip(inner_a, inner_b, strict=True))
    return _members(a) <= _members(b)


def _members(node: ast.expr) -> set[str]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _members(node.left) | _members(node.right)
    return {ast.unparse(node)}
