"""Values handed to a double are checked at run time against the types the protocol declares.

mypy checks ``returns(v)`` already, but a test can hide a wrong value from it: a ``# type: ignore``, a
value that is ``Any`` (``unittest.mock.sentinel``, ``json.loads``), a parametrized argument. So every
value a test gives a double (``returns``, ``yields``, ``when(...).returns``, ``set_value`` and declared
attributes) goes through typeguard's ``check_type`` against the declared type, once, when configured.

Generated protocols import their types under ``if TYPE_CHECKING:``. Those imports are run once per
protocol module, in a namespace of their own, so the annotations resolve; a name that still does not
resolve (a package that is not installed, a private alias) leaves that member unchecked.
"""

from __future__ import annotations

import ast
import inspect
import sys
import types
import typing
from collections.abc import AsyncIterator, Iterable, Mapping
from types import ModuleType
from typing import Any

from protodoubles._internal.doubles.misuse import DoubleTypeError

__all__ = ["ANY", "UNKNOWN", "check_value", "is_matcher", "item_type", "resolved", "type_problem"]

UNKNOWN: Any = object()  # a type that could not be resolved: nothing is checked against it
_NAMESPACES: dict[str, _TypeNames] = {}


class _TypeNames(dict[str, Any]):
    """The names a protocol module imports under ``if TYPE_CHECKING:``, each imported on its first use, so
    that resolving one annotation imports only what it names (an SDK family's module imports dozens)."""

    def __init__(self, module: ModuleType, pending: dict[str, ast.Import | ast.ImportFrom]) -> None:
        super().__init__()
        self._module, self._pending = module, pending

    def __missing__(self, name: str) -> Any:
        statement = self._pending.pop(name, None)
        if statement is None:
            raise KeyError(name)
        namespace: dict[str, Any] = {}
        exec(compile(ast.Module(body=[statement], type_ignores=[]), f"<type imports of {self._module.__name__}>", "exec"), namespace)  # noqa: S102  # one import copied from the protocol's own module
        self[name] = namespace[name]
        return self[name]


def _type_names(module: ModuleType) -> _TypeNames:
    found = _NAMESPACES.get(module.__name__)
    if found is not None:
        return found
    pending: dict[str, ast.Import | ast.ImportFrom] = {}
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError, SyntaxError):
        tree = ast.Module(body=[], type_ignores=[])
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test).rsplit(".", 1)[-1] == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, (ast.Import, ast.ImportFrom)):
                    for alias in statement.names:
                        bound = alias.asname or alias.name.split(".")[0]
                        pending[bound] = type(statement)(**{**vars(statement), "names": [alias]})
    names = _NAMESPACES[module.__name__] = _TypeNames(module, pending)
    return names


def resolved(annotation: object, module_name: str) -> Any:
    """``annotation`` (a string under ``from __future__ import annotations``) as a type, or ``UNKNOWN``."""
    if not isinstance(annotation, str):
        return annotation if annotation is not inspect.Parameter.empty else UNKNOWN
    module = sys.modules.get(module_name)
    if module is None:
        return UNKNOWN
    try:
        return eval(annotation, vars(module), _type_names(module))  # noqa: S307  # an annotation the protocol's module declares
    except Exception:  # any failure to resolve leaves the member unchecked
        return UNKNOWN


def item_type(stream: Any) -> Any:
    """The item type of ``AsyncIterator[Y]`` (and the like), or ``UNKNOWN``."""
    arguments = typing.get_args(stream)
    origin = typing.get_origin(stream)
    if arguments and isinstance(origin, type) and issubclass(origin, AsyncIterator):
        return arguments[0]
    return UNKNOWN


class _Anything:
    """Equal to every value: an argument an assertion or a stub does not check."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]  # equal to everything, so it cannot hash consistently

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Anything()  # typed Any so that it stands in for an argument of any type


def is_matcher(value: object) -> bool:
    """``ANY`` (this one or unittest.mock's): it stands for an argument, so its own type is not checked."""
    return isinstance(value, _Anything) or type(value).__name__ == "_ANY"


def type_problem(value: object, expected: Any, *, all_items: bool = True) -> str | None:
    """Why ``value`` is not of type ``expected``, or None (``UNKNOWN``, a TypeVar: not checked). With
    ``all_items`` False, a collection's first item stands for the rest (the cost of a call stays flat)."""
    if expected is UNKNOWN or isinstance(expected, typing.TypeVar):
        return None
    if type(expected) is type and isinstance(value, expected):
        return None  # a plain class the value is an instance of: nothing more for typeguard or the items to say
    return _typeguard_problem(value, expected, all_items=all_items) or _first_item_problem(value, expected)


def _typeguard_problem(value: object, expected: Any, *, all_items: bool = True) -> str | None:
    from typeguard import CollectionCheckStrategy, TypeCheckError, check_type  # loaded by the first check, not by import protodoubles

    strategy = CollectionCheckStrategy.ALL_ITEMS if all_items else CollectionCheckStrategy.FIRST_ITEM
    try:
        check_type(value, expected, collection_check_strategy=strategy)
    except TypeCheckError as error:
        return str(error)
    except Exception:  # a type typeguard cannot check (a generic alias it does not know) is not checked
        return None
    return None


def _first_item_problem(value: object, expected: Any) -> str | None:
    """typeguard checks an ``Iterable[X]`` by isinstance alone (an iterable may be consumed once). A str,
    bytes, list or tuple given for one is judged by its first item, so a prompt string passed where
    messages are expected is refused."""
    if not isinstance(value, (str, bytes, list, tuple)) or not value:
        return None
    members = typing.get_args(expected) if typing.get_origin(expected) in (typing.Union, types.UnionType) else (expected,)
    reasons = []
    for member in members:
        origin = typing.get_origin(member)
        iterable = isinstance(origin, type) and issubclass(origin, Iterable) and not issubclass(origin, (str, bytes, Mapping))
        if not iterable:
            if _typeguard_problem(value, member) is None:
                return None  # the value fits a member that is not an iterable of items
            continue
        if not isinstance(value, origin):
            continue
        arguments = typing.get_args(member)
        problem = type_problem(value[0], arguments[0]) if arguments else None
        if problem is None:
            return None
        reasons.append(problem)
    return f"its first item: {reasons[0]}" if reasons else None


def check_value(value: object, expected: Any, where: str, *, all_items: bool = True) -> None:
    """Fail with a misuse when ``value`` is not of type ``expected``."""
    __tracebackhide__ = True  # a failing test shows its own line, not this frame
    problem = type_problem(value, expected, all_items=all_items)
    if problem is None and all_items:  # a configured value: what it holds too
        from protodoubles._internal.doubles.inner import inner_problem

        problem = inner_problem(value)
    if problem is not None:
        raise DoubleTypeError(f"{where}: {problem}")
