"""Render a griffe class as a ``typing.Protocol``: exact signatures, async generators as plain ``def``,
properties, overloads, attributes assigned in any method, inherited members, and the imports they need."""

from __future__ import annotations

import ast
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import griffe

from protodoubles._internal.gen.load.loading import ModuleLoader
from protodoubles._internal.gen.load.source import ClassFacts, facts_of_class, function_facts_of, literal_type
from protodoubles._internal.gen.model.bases import Base, Subst, linearize, type_params, type_vars_in
from protodoubles._internal.gen.model.bases import members as class_members
from protodoubles._internal.gen.model.kinds import PLAIN_DECORATORS, descriptor_get, final_of, is_enum
from protodoubles._internal.gen.model.self_types import bounded_self, labels, self_applies, self_in_bounded_argument, self_type_names
from protodoubles._internal.gen.model.variance import CONTRAVARIANT, COVARIANT, INVARIANT, Uses, Variance
from protodoubles._internal.gen.render.attributes import VAR_KINDS, AttributeRendering
from protodoubles._internal.gen.render.decorated import DecoratedRendering
from protodoubles._internal.gen.render.imports import Imports, expression_fields
from protodoubles._internal.gen.render.overlaps import acknowledged, source_ignores
from protodoubles._internal.gen.render.properties import PROPERTY_DECORATORS
from protodoubles._internal.gen.render.quoted import unquote

# Dunders that define behaviour; the rest of object's dunders say nothing a protocol should require.
BEHAVIOUR_DUNDERS = frozenset(
    [
        "__aenter__",
        "__aexit__",
        "__enter__",
        "__exit__",
        "__call__",
        "__iter__",
        "__next__",
        "__aiter__",
        "__anext__",
        "__await__",
        "__len__",
        "__contains__",
        "__getitem__",
        "__setitem__",
        "__delitem__",
        "__bool__",
        "__reversed__",
        "__getattr__",
    ]
)
_SIGNS = {"in": CONTRAVARIANT, "out": COVARIANT, "inout": INVARIANT}  # where an annotation stands


@dataclass
class Rendered:
    """A generated protocol module and what the generator could not see."""

    text: str
    members: int
    annotations: int
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    weakened: list[str] = field(default_factory=list)

    def strength(self) -> str:
        present = self.annotations - len(self.missing)
        line = f"contract strength: {present}/{self.annotations} annotations present"
        if self.missing:
            shown = ", ".join(self.missing[:5]) + (", ..." if len(self.missing) > 5 else "")
            line += f"; {len(self.missing)} missing, typed as Any: {shown}"
        if self.weakened:
            shown = ", ".join(self.weakened[:5]) + (", ..." if len(self.weakened) > 5 else "")
            line += f"; {len(self.weakened)} weakened: {shown}"
        return line


def _decorator_path(decorator: griffe.Decorator) -> str:
    value = decorator.value
    head = value.function if isinstance(value, griffe.ExprCall) else value
    return head.canonical_path if isinstance(head, (griffe.ExprName, griffe.ExprAttribute)) else str(head)


class ProtocolWriter(AttributeRendering, DecoratedRendering):
    def __init__(self, cls: griffe.Class, loader: ModuleLoader, *, include_private: bool) -> None:
        self.cls = cls
        self.loader = loader
        self.include_private = include_private
        self.warnings: list[str] = []
        self.weakened: list[str] = []
        self.bases = linearize(cls, loader, self.warnings)
        self.imports = Imports(loader)
        self.imports.class_paths = {b.cls.path for b in self.bases}
        self.enum = is_enum(self.bases)
        self.annotations = 0
        self.missing: list[str] = []
        self._facts: dict[str, ClassFacts] = {}
        self._subst: Subst = {}
        self.variance = Variance(loader, {path.rpartition(".")[2] for path in type_params(cls, loader)})
        self.uses: Uses = {}  # where each name stands (for the variance of the protocol's type parameters)
        self._scope: griffe.Object | None = None  # where the names of a quoted annotation resolve
        self._inferred_names: set[str] = set()
        self._inferred_read_only = False  # the inferred type holds for both checkers only if read-only
        self._owned: dict[str, frozenset[str]] = {}

    # ----- members ----------------------------------------------------------------------------------

    def wanted(self, name: str) -> bool:
        if name.startswith("__") and name.endswith("__"):
            return name in BEHAVIOUR_DUNDERS
        return self.include_private or not name.startswith("_")

    def members(self) -> list[tuple[str, griffe.Object, Base]]:
        return [row for row in class_members(self.bases, self.loader) if self.wanted(row[0])]

    def extra_names(self, seen: AbstractSet[str]) -> set[str]:
        return {n for b in self.bases for n in self._facts_of(b.cls).self_attributes if n not in seen and self.wanted(n)}

    def extra_attributes(self, seen: set[str]) -> list[str]:
        """Attributes assigned through ``self`` outside ``__init__``, which griffe does not record."""
        lines: list[str] = []
        for base in self.bases:
            self._subst = base.subst
            self._scope = base.cls
            for name, attribute in self._facts_of(base.cls).self_attributes.items():
                if name in seen or not self.wanted(name):
                    continue
                seen.add(name)
                node = ast.parse(attribute.annotation, mode="eval").body if attribute.annotation else None
                expr: griffe.Expr | str | None = griffe.safe_get_annotation(node, parent=base.cls) if node is not None else None
                final, inner = final_of(expr)
                if final:
                    expr = inner
                if expr is not None:
                    self.annotations += 1
                text = self._expr(expr, use="out" if final else "inout") if expr is not None else None
                text = text or literal_type(attribute.value) or self._missing(name)
                lines += self._read_only(name, text) if final else [f"    {name}: {text}"]
        return lines

    def render_member(self, name: str, obj: griffe.Object, base: Base) -> list[str]:
        self._subst = base.subst
        self._scope = obj if isinstance(obj, griffe.Function) else base.cls
        if isinstance(obj, griffe.Function):
            return self._function_member(name, obj)
        if isinstance(obj, griffe.Attribute):
            return self._attribute(name, obj, base)
        return []

    def _own_type_vars_as_any(self, name: str, annotation: griffe.Expr | str | None, owner: griffe.Object | None) -> None:
        """A property typed with a type variable of its own (``-> Mapping[T, Callable[[], T]]``) cannot be
        matched, the variable meaning nothing outside the getter: it is written as Any."""
        own = self.method_type_vars(annotation, owner) if annotation is not None else set()
        if own:
            self.warnings.append(f"{name}: a property typed with a type variable of its own; it is written as Any")
            self.weakened.append(f"{name} (its own type variables as Any)")
            self._subst = {**self._subst, **{path: ("Any", {}) for path in own}}

    def _function_member(self, name: str, obj: griffe.Function) -> list[str]:
        for decorator in obj.decorators:
            path = _decorator_path(decorator)
            if path in PROPERTY_DECORATORS or path == "property":
                return self._getter(name, obj)
            if path.rsplit(".", 1)[-1] == "cached_property":
                path = "functools.cached_property"  # whichever module re-exports it
            descriptor = descriptor_get(self.loader, path, self.warnings) if path not in PLAIN_DECORATORS else None
            if descriptor is not None:  # @reify, cached_property and other descriptor classes: read like an attribute
                if descriptor[2].path in PROPERTY_DECORATORS:  # `_magic_enum_attr = property`
                    return self._getter(name, obj)
                return self._descriptor_getter(name, obj, descriptor[2])
        candidates = list(obj.overloads or [obj])
        kept = [o for o in candidates if not self_in_bounded_argument(o, self.loader)]
        if len(kept) < len(candidates):  # pyright then cannot bind the other overloads either: all go
            self.warnings.append(f"{name}: returns a class bound to the type of self; no protocol form holds, left out")
            self.weakened.append(f"{name} (left out: self-type in a bounded argument)")
            return []
        spelled = {path for o in kept for path in bounded_self(o, self.loader)}
        if spelled:
            self.warnings.append(f"{name}: returns Self as the argument of a class bounded by this one; written as Any")
            self.weakened.append(f"{name} (Self as Any in a bounded argument)")
            self._subst = {**self._subst, **{path: ("Any", {}) for path in spelled}}
        if obj.overloads:
            overloads = [o for o in kept if self_applies(o, self.bases, self.loader, self.imports)]
            if not overloads and all(_self_protocol(o) for o in kept):  # redis's `self: SyncClientProtocol`
                self.warnings.append(f"{name}: every overload is for a self type the class is not; left out")
                self.weakened.append(f"{name} (left out: overloads for other self types)")
                return []
            overloads = overloads or kept
            if len(overloads) == 1:
                return self._function(name, overloads[0])
            return self._overloads(name, overloads)
        return self._function(name, obj)

    def _overloads(self, name: str, overloads: list[griffe.Function]) -> list[str]:
        """Each overload, less those an earlier one already covers once inherited type parameters are
        replaced (``get(key, default: Any)`` then ``get(key, default: _T)``): mypy rejects those."""
        lines: list[str] = []
        seen: set[str] = set()
        for overload in overloads:
            rendered = self._function(name, overload, "@overload")
            key = rendered[-1].split("(", 1)[1].rsplit(") ->", 1)[0]
            key = re.sub(r"\b(\w+)\b", lambda m: "Any" if m[1] in self.imports.declared_here else m[1], key)
            if key not in seen:
                seen.add(key)
                lines += rendered
        if sum(line.strip() == "@overload" for line in lines) == 1:
            lines.remove("    @overload")
        return acknowledged(lines)

    # ----- functions and properties -----------------------------------------------------------------

    def _function(self, name: str, func: griffe.Function, *decorators: str) -> list[str]:
        outer = self._subst
        mapped = self._self_arguments(func)
        self._subst = {**outer, **self._returned_only(name, func, set(mapped)), **mapped}
        try:
            return self._signature(name, func, decorators)
        finally:
            self._subst = outer

    def _returned_only(self, name: str, func: griffe.Function, mapped: AbstractSet[str]) -> Subst:
        """A type variable of the method that only its return names (``-> IO[AnyStr]``), or that only a
        subscripted ``self`` annotation gives and ``mapped`` does not bind to the class's (``self: Result[_T,
        Unpack[Ts]]``): pyright finds such a method's type not assignable to itself, so it is written as Any."""
        own = self.method_type_vars(_outside_callables(func.returns), func.parent) - mapped if func.returns is not None else set()
        params = list(func.parameters) if own else []
        if params and "staticmethod" not in labels(func) and isinstance(params[0].annotation, griffe.ExprSubscript):
            params = params[1:] if str(params[0].annotation.left).rsplit(".", 1)[-1] != "type" else params
        for param in params:
            own -= type_vars_in(param.annotation, self.loader) if param.annotation is not None else set()
        if not own:
            return {}
        self.warnings.append(f"{name}: a type variable of its own in its return type only; written as Any")
        self.weakened.append(f"{name} (Any: a type variable in the return type only)")
        return {path: ("Any", {}) for path in own}

    def _self_arguments(self, func: griffe.Function) -> Subst:
        """``def first(self: Query[O]) -> O`` in ``class Query(Generic[T])``: for every instance O is T,
        so the method's own type variables given in ``self``'s annotation stand for the class's."""
        params = list(func.parameters)
        annotation = params[0].annotation if params and "staticmethod" not in labels(func) else None
        if not isinstance(annotation, griffe.ExprSubscript) or not isinstance(annotation.left, (griffe.ExprName, griffe.ExprAttribute)):
            return {}
        path = self.imports.follow(annotation.left.canonical_path)
        owner = next((base for base in self.bases if base.cls.path == path), None)
        if owner is None:
            return {}
        arguments = annotation.slice.elements if isinstance(annotation.slice, griffe.ExprTuple) else [annotation.slice]
        params = type_params(owner.cls, self.loader)
        if len(params) != len(arguments) or any("Unpack" in str(argument) or "*" in str(argument) for argument in arguments):
            return {}  # a TypeVarTuple takes any number of arguments: no place-by-place match
        mapping: Subst = {}
        for param, argument in zip(params, arguments, strict=True):
            if isinstance(argument, griffe.ExprName) and self.method_type_vars(argument, owner.cls):
                mapping[argument.canonical_path] = owner.subst.get(param) or (
                    griffe.ExprName(param.rpartition(".")[2], parent=owner.cls),
                    {},
                )
        return mapping

    def _signature(self, name: str, func: griffe.Function, decorators: tuple[str, ...]) -> list[str]:
        kinds = labels(func)
        lines = [f"    {d}" for d in decorators]
        if "staticmethod" in kinds:
            lines.append("    @staticmethod")
        elif "classmethod" in kinds:
            lines.append("    @classmethod")
        is_async = "async" in kinds
        generator = is_async and function_facts_of(func)[0]
        self_names = self_type_names(func, self.loader) if "staticmethod" not in kinds else set()
        params = self._parameters(func, name, skip_annotation_of_first="staticmethod" not in kinds)
        decorated = self._decorated_returns(func) if func.decorators else None
        managed = self._managed(name, func, self_names) if decorated is None else None
        if func.returns is not None:
            self.annotations += 1
        if decorated is not None:  # a typed decorator that changes what the method returns
            returns = decorated
            is_async = generator = False
        elif managed is not None:  # @contextmanager turns a generator of T into a context manager of T
            returns = managed
            is_async = generator = False
        elif func.returns is None and generator:
            iterator = self.imports.add("AsyncIterator", "collections.abc.AsyncIterator")
            returns = f"{iterator}[{self.imports.add('Any', 'typing.Any')}]"
        elif func.returns is None:
            returns = self._missing(f"{name}() return")
        else:
            returns = self._expr(func.returns, replace=self_names, use="out")
        prefix = "async def" if is_async and not generator else "def"
        lines.append(f"    {prefix} {name}({params}) -> {returns}: ...{source_ignores(func) if decorators else ''}")
        return lines

    def _parameters(self, func: griffe.Function, label: str, *, skip_annotation_of_first: bool) -> str:
        parts: list[str] = []
        params = list(func.parameters)
        saw_star = False
        for index, param in enumerate(params):
            kind = param.kind
            if kind is griffe.ParameterKind.keyword_only and not saw_star:
                parts.append("*")
                saw_star = True
            if kind is griffe.ParameterKind.var_positional:
                saw_star = True
            star = "*" if kind is griffe.ParameterKind.var_positional else "**" if kind is griffe.ParameterKind.var_keyword else ""
            text = f"{star}{param.name}"
            if index == 0 and skip_annotation_of_first and kind not in VAR_KINDS:
                parts.append(text)
            else:
                if param.annotation is None:
                    text += f": {self._missing(f'{label}({param.name})')}"
                else:
                    self.annotations += 1
                    text += f": {self._expr(param.annotation, use='in')}"
                if param.default is not None and kind not in VAR_KINDS:
                    text += " = ..."
                parts.append(text)
            following = params[index + 1] if index + 1 < len(params) else None
            if kind is griffe.ParameterKind.positional_only and (
                following is None or following.kind is not griffe.ParameterKind.positional_only
            ):
                parts.append("/")
        return ", ".join(parts)

    # ----- annotations ------------------------------------------------------------------------------

    def _expr(self, expr: griffe.Expr | str, replace: AbstractSet[str] = frozenset(), use: str = "") -> str:
        """An annotation as written, its names imported; ``use`` says where it stands ("in", "out"),
        and names in ``replace`` (a self-typed method's TypeVar) become ``Self``."""
        expr = unquote(expr, self._scope)
        sign = _SIGNS.get(use)
        if not isinstance(expr, str) and sign is not None:
            for name, signs in self.variance.uses(expr, sign, self._subst).items():
                self.uses.setdefault(name, set()).update(signs)
        self_name = self.imports.add("Self", "typing.Self") if replace else ""
        return self.imports.render(expr, replace, self_name, self._subst)

    def _missing(self, where: str) -> str:
        self.annotations += 1
        self.missing.append(where)
        return self.imports.add("Any", "typing.Any")

    def _facts_of(self, klass: griffe.Class) -> ClassFacts:
        if klass.path not in self._facts:
            self._facts[klass.path] = facts_of_class(klass)
        return self._facts[klass.path]


def _outside_callables(expr: griffe.Expr | str) -> griffe.Expr | str:
    """The names of ``expr`` outside any ``Callable[...]`` in it: a type variable there belongs to the callable."""
    names: list[str | griffe.Expr] = []
    stack: list[object] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, griffe.ExprName):
            names.append(node)
        elif isinstance(node, griffe.ExprSubscript) and str(node.left).rsplit(".", 1)[-1] == "Callable":
            continue
        elif isinstance(node, griffe.ExprAttribute):
            names.append(node.last)  # `t.AnyStr`: the name it ends with
        elif isinstance(node, griffe.Expr):
            for field in expression_fields(type(node)):
                value = getattr(node, field)
                stack.extend(value if isinstance(value, list) else [value])
    return griffe.ExprTuple(names)


def _self_protocol(func: griffe.Function) -> bool:
    """Whether the overload annotates ``self`` with a plain name (a protocol or class it is meant for)."""
    params = list(func.parameters)
    return bool(params) and isinstance(params[0].annotation, (griffe.ExprName, griffe.ExprAttribute))
