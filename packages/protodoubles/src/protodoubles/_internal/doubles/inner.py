"""What a configured value holds, beyond its own type: the fields of a dataclass against their
annotations, and the keys of a pydantic model (an SDK object) that the model does not declare.

A stub such as ``returns(ChatResult(*row))`` passes an isinstance check with a dict where ``usage``
should be; ``ChatCompletion.model_validate({... "message": {"text": ...}})`` validates, since SDK models
keep unknown keys, and the misspelt key is silently not the field the code reads. Both are refused when
the value is configured (not on every call, whose cost stays flat).
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Mapping
from typing import Any

from protodoubles._internal.doubles.values import type_problem  # values loads this module only when it checks a value

_DEPTH = 6  # nested values looked into; deeper ones are taken as they are
_ITEMS = 64  # items of a list, tuple or dict looked into


def inner_problem(value: object, depth: int = 0) -> str | None:
    """Why something inside ``value`` is not what its declaration says, or None."""
    if depth > _DEPTH or value is None or isinstance(value, (str, bytes, int, float, bool)):
        return None
    kind = type(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass_problem(value, kind, depth)
    declared = getattr(kind, "model_fields", None)
    if isinstance(declared, Mapping):
        return _model_problem(value, kind, declared, depth)
    if isinstance(value, (list, tuple)):
        items: list[object] = list(value[:_ITEMS])
    elif isinstance(value, dict):
        items = list(value.values())[:_ITEMS]
    else:
        return None
    for item in items:
        problem = inner_problem(item, depth + 1)
        if problem is not None:
            return problem
    return None


def _dataclass_problem(value: object, kind: type, depth: int) -> str | None:
    hints = _hints(kind)
    for field in dataclasses.fields(kind):  # ty: ignore[invalid-argument-type]  # kind is a dataclass: checked by the caller
        held = getattr(value, field.name)
        expected = hints.get(field.name)
        problem = None if expected is None else type_problem(held, expected)
        if problem is None:
            problem = inner_problem(held, depth + 1)
        if problem is not None:
            return f"{kind.__name__}.{field.name}: {problem}"
    return None


def _model_problem(value: object, kind: type, declared: Mapping[str, object], depth: int) -> str | None:
    extra = getattr(value, "model_extra", None)
    if isinstance(extra, Mapping) and extra:
        names = ", ".join(repr(name) for name in sorted(extra))
        return f"{kind.__name__} was given key(s) it does not declare: {names} (a misspelt field?)"
    for name in declared:
        problem = inner_problem(getattr(value, name, None), depth + 1)
        if problem is not None:
            return f"{kind.__name__}.{name}: {problem}"
    return None


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    """A dataclass's resolved field types; one it cannot resolve is not checked."""
    try:
        return typing.get_type_hints(kind)
    except Exception:  # a name only TYPE_CHECKING imports, a forward reference to nothing: not checked
        return {}
