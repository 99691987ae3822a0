"""A method under a typed decorator that changes what it returns: ``@contextmanager`` of aiosqlite, typed
``(Callable[..., Coroutine[Any, Any, T]]) -> Callable[..., Result[T]]``, or trio's ``@_wraps_async(fn)``, a
factory whose decorator is ``(Callable[P, T]) -> Callable[P, Awaitable[T]]``. The protocol keeps the
method's parameters and writes the return the decorator gives, its type variable bound to what the method
returns. A mixin of ``ProtocolWriter``."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

import griffe

from protodoubles._internal.gen.load import scan
from protodoubles._internal.gen.load.loading import ModuleLoader
from protodoubles._internal.gen.model.bases import Subst, is_type_param
from protodoubles._internal.gen.model.kinds import PLAIN_DECORATORS
from protodoubles._internal.gen.render.imports import Imports

_AWAITED = frozenset({"Coroutine", "Awaitable"})  # `Coroutine[Any, Any, T]` of an async method: T is what it returns


class DecoratedRendering:
    loader: ModuleLoader
    imports: Imports
    _subst: Subst

    def _expr(self, expr: griffe.Expr | str, replace: AbstractSet[str] = frozenset(), use: str = "") -> str:
        raise NotImplementedError

    def _decorated(self, func: griffe.Function) -> tuple[griffe.Expr, Subst] | None:
        """The return a typed decorator of ``func`` gives it, and the binding of the decorator's type variable
        to ``func``'s own return; None when no decorator of it is a typed function of that shape."""
        for decorator in func.decorators:
            value = decorator.value
            head = value.function if isinstance(value, griffe.ExprCall) else value
            if not isinstance(head, (griffe.ExprName, griffe.ExprAttribute)) or head.canonical_path in PLAIN_DECORATORS:
                continue
            path = self.imports.follow(head.canonical_path) if "." in head.canonical_path else ""
            found = self.loader.resolve(path) if path and not path.startswith("typing") and self._typed_callable(path) else None
            if not isinstance(found, griffe.Function) or found.returns is None:
                continue
            takes, gives = _callable(found.returns)  # a decorator factory: the decorator it returns
            if isinstance(value, griffe.ExprCall) and takes is not None and gives is not None:
                taken = takes.elements[0] if isinstance(takes, griffe.ExprList) and takes.elements else None
            else:
                params = list(found.parameters)
                taken, gives = (params[0].annotation if params else None), found.returns
            bound = self._bound(taken, gives, func)
            if bound is not None:
                return bound
        return None

    def _typed_callable(self, path: str) -> bool:
        """Whether the module's text defines ``path`` as a function annotated to return a ``Callable`` (the
        module is visited only then)."""
        module, _, name = path.rpartition(".")
        source = self.loader.text(module) if self.loader.loaded(module) is None else None
        if source is None:
            return True
        found = scan.line_search(rf"(?:async[ \t]+)?def[ \t]+{re.escape(name)}\b(.*?):[ \t]*(?:#[^\n]*)?\n", source[0], re.DOTALL)
        returns = re.search(r"->([^\n]*Callable\b[^\n]*)", found[1]) if found is not None else None
        # `-> Callable[[_F], _F]` hands the method back unchanged: nothing to read
        return returns is not None and re.search(r"Callable\[\[(\w+)\],\s*\1\]", returns[1]) is None

    def _bound(
        self, taken: griffe.Expr | str | None, gives: griffe.Expr | str | None, func: griffe.Function
    ) -> tuple[griffe.Expr, Subst] | None:
        _, taken_returns = _callable(taken)
        _, returns = _callable(gives)
        if not isinstance(returns, griffe.Expr) or func.returns is None:
            return None
        inner = taken_returns
        if isinstance(inner, griffe.ExprSubscript) and str(inner.left).rsplit(".", 1)[-1] in _AWAITED and "async" in func.labels:
            inner = inner.slice.elements[-1] if isinstance(inner.slice, griffe.ExprTuple) else inner.slice
        if not isinstance(inner, griffe.ExprName) or not is_type_param(self.loader, inner.canonical_path):
            return None
        return returns, {inner.canonical_path: (func.returns, {})}

    def _decorated_returns(self, func: griffe.Function) -> str | None:
        """``func``'s return as its typed decorator makes it, written; None when it has no such decorator."""
        found = self._decorated(func)
        if found is None:
            return None
        returns, subst = found
        outer, self._subst = self._subst, {**self._subst, **subst}
        try:
            return self._expr(returns, use="out")
        finally:
            self._subst = outer


def _callable(expr: griffe.Expr | str | None) -> tuple[griffe.Expr | str | None, griffe.Expr | str | None]:
    """The parameters and the return of ``Callable[params, returns]``; (None, None) for anything else."""
    if not isinstance(expr, griffe.ExprSubscript) or str(expr.left).rsplit(".", 1)[-1] != "Callable":
        return None, None
    args = expr.slice.elements if isinstance(expr.slice, griffe.ExprTuple) else []
    return (args[0], args[1]) if len(args) == 2 else (None, None)
