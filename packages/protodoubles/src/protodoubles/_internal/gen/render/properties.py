"""Rendering what a type checker reads like an attribute: properties with their setters, read-only
members, descriptors (``@reify``, ``cached_property``, a descriptor instance in the class body) and
``@contextmanager`` results. A mixin of ``ProtocolWriter``, which supplies the state declared here."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import griffe

from protodoubles._internal.gen.load.loading import ModuleLoader
from protodoubles._internal.gen.model.bases import type_params
from protodoubles._internal.gen.model.kinds import descriptor_get
from protodoubles._internal.gen.render.imports import Imports

PROPERTY_DECORATORS = frozenset({"property", "builtins.property", "types.DynamicClassAttribute", "enum.property"})
_CONTEXT_MANAGERS = {"contextmanager": "AbstractContextManager", "asynccontextmanager": "AbstractAsyncContextManager"}


class PropertyRendering:
    loader: ModuleLoader
    imports: Imports
    warnings: list[str]
    weakened: list[str]
    annotations: int

    def _expr(self, expr: griffe.Expr | str, replace: AbstractSet[str] = frozenset(), use: str = "") -> str:
        raise NotImplementedError

    def _missing(self, where: str) -> str:
        raise NotImplementedError

    def _own_type_vars_as_any(self, name: str, annotation: griffe.Expr | str | None, owner: griffe.Object | None) -> None:
        raise NotImplementedError

    def _managed(self, name: str, func: griffe.Function, self_names: AbstractSet[str] = frozenset()) -> str | None:
        """``AbstractContextManager[T]`` for a ``@contextmanager`` generator of T; None for other functions."""
        manager = next((m for d in func.decorators if (m := _CONTEXT_MANAGERS.get(str(d.value).rsplit(".", 1)[-1]))), None)
        if manager is None:
            return None
        local = self.imports.add(manager, f"contextlib.{manager}")
        yielded = func.returns.slice if isinstance(func.returns, griffe.ExprSubscript) else None
        first = yielded.elements[0] if isinstance(yielded, griffe.ExprTuple) else yielded
        inner = self._expr(first, replace=self_names, use="out") if first is not None else self._missing(f"{name}() yield")
        return f"{local}[{inner}]"

    def _property(self, name: str, attribute: griffe.Attribute) -> list[str]:
        self._own_type_vars_as_any(name, attribute.annotation, attribute.parent)
        writable = "writable" in attribute.labels and "cached" not in attribute.labels
        if attribute.annotation is not None:
            self.annotations += 1
        annotation = self._expr(attribute.annotation, use="out") if attribute.annotation is not None else self._missing(f"{name} property")
        annotation = self._coroutine_if_async(attribute.labels, annotation)
        cached = self._cached_property_class(attribute) if "cached" in attribute.labels else None
        if cached is not None:  # pyright compares the descriptor itself, mypy what it returns
            local = self.imports.add(cached.name, cached.path)
            return self._descriptor(name, annotation, f"{local}[{annotation}]")
        lines = ["    @property", f"    def {name}(self) -> {annotation}: ..."]
        setter = attribute.setter if writable else None
        if isinstance(setter, griffe.Function) and not _setter_follows(attribute, setter):
            # mypy reads such a property as read-only (the later definition redefines the name); pyright
            # as settable, which a read-only protocol property accepts too
            self.weakened.append(f"{name} (read-only: its setter does not follow the getter)")
            return lines
        if isinstance(setter, griffe.Function):
            params = list(setter.parameters)
            value = params[1] if len(params) > 1 else None
            value_name = value.name if value is not None else "value"
            if value is not None and value.annotation is not None:
                self.annotations += 1
                value_type = self._expr(value.annotation, use="in")
            else:
                value_type = self._missing(f"{name} setter({value_name})")
            returns = self._expr(setter.returns, use="out") if setter.returns is not None else "None"
            lines += [f"    @{name}.setter", f"    def {name}(self, {value_name}: {value_type}) -> {returns}: ..."]
        elif writable:
            lines += [f"    @{name}.setter", f"    def {name}(self, value: {annotation}) -> None: ..."]
        return lines

    def _cached_property_class(self, attribute: griffe.Attribute) -> griffe.Class | None:
        """The descriptor class ``@cached_property`` names where the attribute is defined (None when it is
        ``property`` in disguise, as in ``if TYPE_CHECKING: cached_property = property``)."""
        try:
            path = attribute.module.resolve("cached_property")
        except griffe.NameResolutionError:
            path = "functools.cached_property"  # spelled `@functools.cached_property`
        found = descriptor_get(self.loader, self.imports.follow(path), self.warnings)
        if found is None or found[2].path in PROPERTY_DECORATORS:
            return None
        return found[2] if len(type_params(found[2], self.loader)) == 1 else None

    def _getter(self, name: str, func: griffe.Function) -> list[str]:
        self._own_type_vars_as_any(name, func.returns, func.parent)
        if func.returns is not None:
            self.annotations += 1
        returns = (
            self._missing(f"{name} property") if func.returns is None else self._managed(name, func) or self._expr(func.returns, use="out")
        )
        return self._read_only(name, self._coroutine_if_async(func.labels, returns))

    def _coroutine_if_async(self, kinds: set[str], returns: str) -> str:
        """``@property async def``: reading the property gives a coroutine."""
        if "async" not in kinds:
            return returns
        any_ = self.imports.add("Any", "typing.Any")
        return f"{self.imports.add('Coroutine', 'collections.abc.Coroutine')}[{any_}, {any_}, {returns}]"

    def _descriptor_getter(self, name: str, func: griffe.Function, descriptor: griffe.Class) -> list[str]:
        if func.returns is None:
            return self._getter(name, func)
        self.annotations += 1
        returns = self._managed(name, func) or self._expr(func.returns, use="out")
        local = self.imports.add(descriptor.name, descriptor.path)
        arguments = self.imports.bare_arguments(descriptor.path)
        declared = f"{local}[{returns}]" if arguments.count(",") == 0 and arguments else local + arguments
        return self._descriptor(name, returns, declared)

    def _descriptor(self, name: str, returns: str, declared: str) -> list[str]:
        """A descriptor read through an instance: mypy applies ``__get__``, pyright compares the declared
        descriptor type; the union is what both accept."""
        self.weakened.append(f"{name} (descriptor: {returns} | {declared})")
        return self._read_only(name, f"{returns} | {declared}")

    @staticmethod
    def _read_only(name: str, annotation: str) -> list[str]:
        return ["    @property", f"    def {name}(self) -> {annotation}: ..."]

    def _descriptor_value(self, name: str, obj: griffe.Attribute) -> list[str] | None:
        """``dispatch = DispatchDescriptor()`` in a class body: what its ``__get__`` returns."""
        value = obj.value
        if not isinstance(value, griffe.ExprCall) or not isinstance(value.function, (griffe.ExprName, griffe.ExprAttribute)):
            return None
        path = self.imports.follow(value.function.canonical_path)
        made = self.loader.resolve(path) if "." in path and path not in PROPERTY_DECORATORS else None
        if path in PROPERTY_DECORATORS or (isinstance(made, griffe.Function) and str(made.returns) in PROPERTY_DECORATORS):
            return self._property_call(name)  # `property(...)`, or a function typed to return a property
        found = descriptor_get(self.loader, path, self.warnings) if "." in path else None
        if found is None:
            return None
        getter, _, descriptor = found
        if getter.returns is None or not self._plain_class(getter.returns):
            # pyright infers this member's type from the expression (literals widened, overloads merged):
            # only Any is sure to hold for both checkers
            self.warnings.append(f"{name}: an unannotated descriptor instance; its type is left as Any")
            self.weakened.append(f"{name} (descriptor instance: Any)")
            return self._read_only(name, self.imports.add("Any", "typing.Any"))
        self.annotations += 1
        returns = self._expr(getter.returns, use="out")
        declared = self.imports.add(descriptor.name, descriptor.path) + self.imports.bare_arguments(descriptor.path)
        return self._descriptor(name, returns, declared)

    def _property_call(self, name: str) -> list[str]:
        """``data = property(get_data, set_data)`` (or ``vary = _set_property("Vary")``, typed ``-> property``) in
        a class body: pyright reads no getter and no setter in it,
        so no protocol property matches the class there; it is left out, and said."""
        self.warnings.append(f"{name}: property() called in the class body, which pyright reads without a getter; left out")
        self.weakened.append(f"{name} (left out: property() call)")
        return []

    def _plain_class(self, annotation: griffe.Expr | str) -> bool:
        """An annotation that is only the name of a class (no union, literal or alias to widen)."""
        if not isinstance(annotation, (griffe.ExprName, griffe.ExprAttribute)):
            return False
        return isinstance(self.loader.resolve(self.imports.follow(annotation.canonical_path)), griffe.Class)


def _setter_follows(getter: griffe.Attribute, setter: griffe.Function) -> bool:
    """Whether no other member of the class stands between a property's getter and its setter."""
    end, start = getter.endlineno or 0, setter.lineno or 0
    owner = getter.parent
    if owner is None or not end or not start:
        return True
    return not any(end < (member.lineno or 0) < start for member in owner.members.values() if member is not getter)
