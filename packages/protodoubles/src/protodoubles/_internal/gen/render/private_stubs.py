"""Names the protocol writes out instead of importing. Those a standard-library stub keeps to itself (``_typeshed.FloatInt``, ``sqlite3._DataError``,
``builtins._ClassInfo``, ``builtins._ExceptionT``): the typeshed bundled with basedpyright lacks some of them
or refuses their import, so the protocol writes them out instead of importing them. A type alias becomes
its value; a type variable bound to a builtin class is declared in the protocol module."""

from __future__ import annotations

import builtins
import re

import griffe

from protodoubles._internal.gen.load import scan
from protodoubles._internal.gen.load.loading import ModuleLoader

_BUILTIN_NAMES = frozenset(vars(builtins))
_ASSIGNMENT = re.compile(r"\b[ \t]*[:=].*?(?=\n\S|\Z)", re.MULTILINE | re.DOTALL)  # after the name, to the next statement
_BOUND_TYPE_VAR = re.compile(r"(?:typing(?:_extensions)?\.)?TypeVar\(([\'\"])\w+\1, bound=(?:builtins\.)?(\w+)\)")


def _assigned(loader: ModuleLoader, path: str) -> str | None:
    """The text of the module-level assignment to ``path`` (to the next line that starts a statement), read
    from the module's text: most names are not assigned there, and no module is visited to learn that."""
    module, _, name = path.rpartition(".")
    source = loader.text(module) if module else None
    found = scan.line_starting(source[0], name, _ASSIGNMENT) if source else None
    return name + found[0] if found else None


def _private(loader: ModuleLoader, path: str) -> griffe.Attribute | None:
    """The stub's declaration of ``path`` when it is a private name of the standard library's stubs."""
    module, _, name = path.rpartition(".")
    top = module.split(".")[0]
    if not module or top not in loader.stdlib or not (name.startswith("_") or top == "_typeshed"):
        return None
    text = loader.text(module)  # assigned in the stub (under an `if sys...` too), or no alias of it: not visited
    if text is not None and not scan.line_search(rf"[ \t]*{re.escape(name)}\b[ \t]*[:=]", text[0]):
        return None
    found = loader.resolve(path)
    return found if isinstance(found, griffe.Attribute) and found.value is not None else None


def alias_value(loader: ModuleLoader, path: str) -> griffe.Expr | str | None:
    """The value of ``path`` when it is a stub's private type alias (``_DataError: TypeAlias = DataError``),
    or an implicit alias whose definition silences a checker (``_Op = (Insert  # type: ignore[type-arg]
    | Delete)``): mypy takes that one for a variable, not a type."""
    found = _private(loader, path)
    if found is not None and str(found.annotation).rsplit(".", 1)[-1] == "TypeAlias":
        return found.value
    assigned = _assigned(loader, path) if path.rpartition(".")[2].startswith("_") and "." in path else None
    if assigned is not None and "type: ignore" in assigned and "|" in assigned:
        implicit = loader.resolve(path) if path.rpartition(".")[0].split(".")[0] not in loader.stdlib else None
        if isinstance(implicit, griffe.Attribute) and implicit.annotation is None and isinstance(implicit.value, griffe.ExprBinOp):
            return implicit.value if "type: ignore" in implicit.source else None
    return None


def bound_type_var(loader: ModuleLoader, path: str) -> str | None:
    """The builtin class a stub's private type variable is bound to (``Exception`` for ``_ExceptionT``)."""
    found = _private(loader, path)
    match = _BOUND_TYPE_VAR.fullmatch(str(found.value)) if found is not None else None
    return match[2] if match is not None and match[2] in _BUILTIN_NAMES else None
