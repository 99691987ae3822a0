"""Where each type parameter of a class stands in its protocol, the way mypy works out a protocol's variance:
an occurrence in a return is covariant, in a parameter contravariant, and inside a generic it takes that
generic's variance at its place (``list[T]`` makes ``T`` invariant, ``Callable[[T], None]`` flips it).
mypy then requires the protocol's type parameter to be declared with exactly that variance."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

import griffe

from protodoubles._internal.gen.load import scan
from protodoubles._internal.gen.load.loading import ModuleLoader
from protodoubles._internal.gen.model.bases import Subst, type_params

COVARIANT, CONTRAVARIANT, INVARIANT = 1, -1, 0
Uses = dict[str, set[int]]  # type parameter (as the class spells it) -> the signs it stands in: 1, -1 or both

_CO, _CONTRA, _INV = COVARIANT, CONTRAVARIANT, INVARIANT
# the variance of each type parameter of the generics annotations use most (typeshed declares the same)
_KNOWN: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(["list", "set", "deque", "MutableSequence", "MutableSet", "List", "Set", "Deque", "Counter"], (_INV,)),
    **dict.fromkeys(["dict", "defaultdict", "OrderedDict", "ChainMap", "MutableMapping", "Dict", "DefaultDict"], (_INV, _INV)),
    **dict.fromkeys(
        [
            "frozenset",
            "tuple",
            "type",
            "Sequence",
            "Iterable",
            "Iterator",
            "AsyncIterable",
            "AsyncIterator",
            "Awaitable",
            "Collection",
            "Container",
            "Reversible",
            "AbstractSet",
            "KeysView",
            "ValuesView",
            "FrozenSet",
            "Tuple",
            "Type",
            "ContextManager",
            "AsyncContextManager",
            "AbstractContextManager",
            "AbstractAsyncContextManager",
            "TypeForm",
        ],
        (_CO,),
    ),
    "Mapping": (_INV, _CO),
    "ItemsView": (_CO, _CO),
    "Generator": (_CO, _CONTRA, _CO),
    "AsyncGenerator": (_CO, _CONTRA),
    "Coroutine": (_CO, _CONTRA, _CO),
}
_KNOWN_MODULES = ("builtins.", "typing.", "typing_extensions.", "collections.abc.", "collections.", "contextlib.")
# forms whose arguments stand where the form itself stands
_TRANSPARENT = frozenset(
    ["Union", "Optional", "ClassVar", "Final", "Required", "NotRequired", "ReadOnly", "Annotated", "TypeGuard", "TypeIs"]
)


class Variance:
    """Computes ``Uses`` of annotations; the variance of each generic it meets is read once."""

    def __init__(self, loader: ModuleLoader, wanted: AbstractSet[str]) -> None:
        self.loader = loader
        self.wanted = wanted  # the names whose variance is asked for (the class's type parameters, as spelled)
        self._of: dict[str, tuple[int, ...] | None] = {}

    def uses(self, expr: griffe.Expr | str, sign: int, subst: Subst) -> Uses:
        """The signs each name in ``expr`` stands in, ``expr`` itself standing in ``sign``; names that
        ``subst`` replaces (inherited type parameters) count where their arguments' names stand."""
        found: Uses = {}
        if self._mentions(expr, subst):  # the variance of a generic is read only where it can matter
            self._walk(expr, sign, subst, found)
        return found

    def _mentions(self, expr: griffe.Expr | str, subst: Subst) -> bool:
        """Whether a wanted name stands in ``expr``, itself or through ``subst``."""
        for item in expr.iterate(flat=True) if isinstance(expr, griffe.Expr) and self.wanted else ():
            if isinstance(item, griffe.ExprName):
                value = subst.get(item.canonical_path) if subst else None
                if item.name in self.wanted if value is None else self._mentions(value[0], value[1]):
                    return True
        return False

    def _walk(self, expr: griffe.Expr | str | None, sign: int, subst: Subst, found: Uses) -> None:
        if expr is None or isinstance(expr, str):
            return
        if isinstance(expr, griffe.ExprName):
            value = subst.get(expr.canonical_path) if subst else None
            if value is not None:
                self._walk(value[0], sign, value[1], found)
            else:
                found.setdefault(expr.name, set()).update((COVARIANT, CONTRAVARIANT) if sign == INVARIANT else (sign,))
            return
        if isinstance(expr, griffe.ExprSubscript):
            self._subscript(expr, sign, subst, found)
            return
        if isinstance(expr, griffe.ExprAttribute):  # `P.args`, `module.Name`: the name it starts with
            self._walk(expr.first if isinstance(expr.first, griffe.Expr) else None, sign, subst, found)
            return
        for name in _parts(expr):  # unions (`A | B`), tuples and lists of arguments: where they stand
            value = getattr(expr, name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, griffe.Expr):
                    self._walk(item, sign, subst, found)

    def _subscript(self, expr: griffe.ExprSubscript, sign: int, subst: Subst, found: Uses) -> None:
        head = expr.left.canonical_path if isinstance(expr.left, (griffe.ExprName, griffe.ExprAttribute)) else str(expr.left)
        short = head.rsplit(".", 1)[-1]
        args = list(expr.slice.elements) if isinstance(expr.slice, griffe.ExprTuple) else [expr.slice]
        if short == "Literal":
            return
        if short in _TRANSPARENT:
            for arg in args[:1] if short == "Annotated" else args:
                self._walk(arg, sign, subst, found)
            return
        if short == "Callable" and len(args) == 2:
            self._walk(args[0], -sign, subst, found)  # the parameters: flipped
            self._walk(args[1], sign, subst, found)
            return
        variances = self.of(head, len(args)) if any(self._mentions(arg, subst) for arg in args) else None
        if short in {"tuple", "Tuple"}:  # one variance for every item of a tuple, however many
            variances = (COVARIANT,) * len(args)
        for index, arg in enumerate(args):
            variance = variances[index] if variances is not None and index < len(variances) else INVARIANT
            self._walk(arg, sign * variance, subst, found)

    def of(self, path: str, count: int) -> tuple[int, ...] | None:
        """The variance of each type parameter of the generic class at ``path``; None when unknown (each
        argument then counts as invariant, what most classes declare)."""
        if path not in self._of:
            self._of[path] = self._read(path, count)
        return self._of[path]

    def _read(self, path: str, count: int) -> tuple[int, ...] | None:
        short = path.rsplit(".", 1)[-1]
        if (path.startswith(_KNOWN_MODULES) or "." not in path) and short in _KNOWN:
            return _KNOWN[short]
        found = self.loader.resolve(self.loader.final_path(path)) if "." in path else None
        if not isinstance(found, griffe.Class):
            return None
        return tuple(_declared(self.loader, param) for param in type_params(found, self.loader))


def _declared(loader: ModuleLoader, param: str) -> int:
    """The variance a ``TypeVar(...)`` declaration gives (PEP 695 inference is not read: invariant)."""
    module, _, name = param.rpartition(".")
    source = loader.text(module) if module else None
    call = scan.type_var_call(source[0], name) if source is not None else None
    if call is None and module and (final := loader.final_path(param)) != param:  # imported: where it is defined
        return _declared(loader, final)
    if not call or call.count("(") > call.count(")"):  # a call over several lines: read the whole of it
        found = loader.resolve(param) if module else None
        call = str(found.value) if isinstance(found, griffe.Attribute) else ""
    if re.search(r"\bcovariant\s*=\s*True", call):
        return COVARIANT
    if re.search(r"\bcontravariant\s*=\s*True", call):
        return CONTRAVARIANT
    return INVARIANT


def _parts(expr: griffe.Expr) -> list[str]:
    """The fields of an expression that hold sub-expressions standing where it stands."""
    if isinstance(expr, griffe.ExprBinOp):
        return ["left", "right"]
    if isinstance(expr, (griffe.ExprTuple, griffe.ExprList)):
        return ["elements"]
    return []
