"""What the pytest plugin checks at run time that mypy cannot: a test's arguments against its annotations,
and a replacement handed to ``monkeypatch.setattr`` against what it replaces.

- A parametrized value or fixture value is checked with typeguard against the test function's
  annotation for it (mypy never relates ``@pytest.mark.parametrize`` values to the parameters).
- A class put in place of a class must not add public members the original lacks (a fake with
  ``complete_chat`` standing in for a class without it), and a callable put in place of a callable must
  accept every call the original accepts.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any

from protodoubles._internal.doubles.values import UNKNOWN, type_problem

__all__ = ["argument_problems", "replacement_problems", "signature_problem"]


def argument_problems(function: Callable[..., object], arguments: dict[str, object]) -> list[str]:
    """Each argument of ``function`` whose value is not of its annotated type (unresolvable: not checked)."""
    try:
        hints = typing.get_type_hints(function)
    except Exception:  # an annotation that does not resolve at run time is left to mypy
        return []
    problems = []
    for name, value in arguments.items():
        expected = hints.get(name, UNKNOWN)
        problem = type_problem(value, expected)
        if problem is not None:
            problems.append(f"argument {name}={value!r} is not a {_shown(expected)}: {problem}")
    return problems


def replacement_problems(original: object, replacement: object, where: str) -> list[str]:
    """Why ``replacement`` cannot stand in for ``original`` (empty: it can, or nothing is known)."""
    if inspect.isclass(original) and inspect.isclass(replacement):
        return _class_problems(original, replacement, where)
    if callable(original) and callable(replacement) and not inspect.isclass(original):
        problem = _call_problem(original, replacement)
        return [f"{where}: {problem}"] if problem else []
    return []


def _public(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_")}


def _class_problems(original: type, replacement: type, where: str) -> list[str]:
    if issubclass(replacement, original) and not (_public(replacement) - _public(original)):
        return []
    problems = [
        f"{where}: {replacement.__qualname__}.{name} does not exist on {original.__qualname__}"
        for name in sorted(_public(replacement) - _public(original))
    ]
    for name in sorted(_public(replacement) & _public(original)):
        theirs, ours = inspect.getattr_static(original, name), inspect.getattr_static(replacement, name)
        if inspect.isfunction(theirs) and inspect.isfunction(ours):
            problem = _call_problem(theirs, ours)
            if problem:
                problems.append(f"{where}: {replacement.__qualname__}.{name}: {problem}")
    return problems


def _call_problem(original: Callable[..., object], replacement: Callable[..., object]) -> str | None:
    """Whether ``replacement`` takes what every call of ``original`` must pass (its parameters without a
    default, by name or through ``*args``/``**kwargs``), and requires nothing ``original`` does not take."""
    try:
        theirs, ours = inspect.signature(original), inspect.signature(replacement)
    except (TypeError, ValueError):
        return None
    return signature_problem(theirs, ours)


def signature_problem(theirs: inspect.Signature, ours: inspect.Signature) -> str | None:
    """Whether a callable of signature ``ours`` can take every call one of ``theirs`` must accept."""
    kinds = {p.kind for p in ours.parameters.values()}
    any_positional, any_keyword = inspect.Parameter.VAR_POSITIONAL in kinds, inspect.Parameter.VAR_KEYWORD in kinds
    for parameter in theirs.parameters.values():
        if parameter.default is not parameter.empty or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if parameter.name in ours.parameters:
            continue
        if (parameter.kind == parameter.KEYWORD_ONLY and not any_keyword) or (
            parameter.kind != parameter.KEYWORD_ONLY and not any_positional
        ):
            return f"has no parameter {parameter.name!r}, which the original {theirs} requires"
    extra = [
        p.name
        for p in ours.parameters.values()
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in theirs.parameters
    ]
    if extra and not any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in theirs.parameters.values() if p.name not in ours.parameters
    ):
        return f"requires {', '.join(extra)}, which the original {theirs} does not take"
    return None


def _shown(expected: Any) -> str:
    return getattr(expected, "__qualname__", None) or str(expected)
