"""Hand a double to code that builds its own object: ``inject(AsyncAnthropic, client, into=wrapper_module)``.

Every name of ``into`` bound to the class is replaced by a constructor that checks its arguments against
the real class's signature, records them, and returns the double. Code that reaches the class through a
module it imported (``import anthropic``, then ``anthropic.Anthropic(...)``) gets the same: the names of
that module bound to the class are replaced, for as long as the injection lasts. The handle it gives checks those
arguments with mypy's view of the real constructor (``assert_called_once_with(api_key="k")``). The names
are put back when the ``with`` block ends, when ``undo()`` is called, or, under the pytest plugin, when
the test ends, whichever comes first.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from types import ModuleType, TracebackType
from typing import Any, ParamSpec, Self

from protodoubles._internal.doubles.double import Recorded
from protodoubles._internal.doubles.method import MethodDouble, MethodSpec
from protodoubles._internal.doubles.misuse import DoubleTypeError

__all__ = ["Injected", "inject", "undo_all"]

P = ParamSpec("P")

_ACTIVE: list[Injected[Any]] = []
_LOCK = threading.Lock()


class Injected(Recorded[P]):
    """The constructor put in place of a class: its calls, checked as the real constructor's."""

    def __init__(self, method: MethodDouble, places: list[tuple[ModuleType, str]], original: object) -> None:
        super().__init__(method)
        self._places, self._original = places, original

    def undo(self) -> None:
        """Put the class back under every name it was injected for (twice is harmless)."""
        for module, name in self._places:
            if vars(module).get(name) is self._method:
                setattr(module, name, self._original)
        with _LOCK:
            if self in _ACTIVE:
                _ACTIVE.remove(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.undo()


def inject(cls: Callable[P, object], made: object, *, into: ModuleType) -> Injected[P]:
    """Make the code in module ``into`` get ``made`` (a double) wherever it calls ``cls(...)``.

    ``cls`` is the class as imported into ``into`` (``from anthropic import AsyncAnthropic``) or a module
    attribute path's class, found by identity: no name is written as a string."""
    if not isinstance(into, ModuleType):
        raise TypeError(f"inject() takes the module of the code under test as into=, got {into!r}")
    label = getattr(cls, "__qualname__", repr(cls))
    places = _places(into, cls)
    if not places:
        raise TypeError(
            f"inject(): module {into.__name__} has no name bound to {label}, and imports no module that has; import it there, or pass the module that does"
        )
    on_class: frozenset[str] = getattr(type(made), "_protodoubles_members", frozenset()) - getattr(
        type(made), "_protodoubles_attributes", frozenset()
    )
    missing = sorted(name for name in on_class if not hasattr(cls, name))
    if missing:  # a method or property the double's protocol declares, which the class does not have
        raise DoubleTypeError(f"inject(): {made!r} stands for another class than {label}, which has no {', '.join(missing[:5])}")
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"inject(): cannot read the signature of {label}: {exc}") from None
    constructor = MethodDouble(MethodSpec("sync", False, signature, None), f"{label}() in {into.__name__}")
    constructor.configure(returns=made)
    injected: Injected[P] = Injected(constructor, places, cls)
    for module, name in places:
        setattr(module, name, constructor)
    with _LOCK:
        _ACTIVE.append(injected)
    return injected


def _places(into: ModuleType, cls: object) -> list[tuple[ModuleType, str]]:
    """Where ``into`` finds ``cls``: its own names bound to it, else the names bound to it in each module
    ``into`` imported."""
    own = [(into, name) for name, value in sorted(vars(into).items()) if value is cls]
    if own:
        return own
    modules = {id(value): value for value in vars(into).values() if isinstance(value, ModuleType)}
    return [(module, name) for module in modules.values() for name, value in sorted(vars(module).items()) if value is cls]


def undo_all() -> None:
    """Undo every injection still in place, latest first (the pytest plugin calls this after each test)."""
    with _LOCK:
        active = list(reversed(_ACTIVE))
    for injected in active:
        injected.undo()
