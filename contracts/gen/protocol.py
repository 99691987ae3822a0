"""Render a griffe class as a ``typing.Protocol``: exact signatures, async generators as plain ``def``,
properties, overloads, attributes assigned in any method, inherited members, and the imports they need."""

from __future__ import annotations

import ast
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import griffe

from contracts.gen.bases import Base, Subst, linearize, method_type_vars, type_params
from contracts.gen.bases import members as class_members
from contracts.gen.imports import Imports, unquote
from contracts.gen.kinds import (
    ENUM_BASES,
    PLAIN_DECORATORS,
    descriptor_get,
    descriptor_subst,
    final_of,
    is_enum,
    is_member_value,
    literal_of,
    optional,
    read_only_fields,
)
from contracts.gen.loading import ModuleLoader
from contracts.gen.properties import PROPERTY_DECORATORS, PropertyRendering
from contracts.gen.self_types import bounded_self, labels, self_applies, self_in_bounded_argument, self_type_names
from contracts.gen.source import ClassFacts, facts_of_class, function_facts_of, literal_type
from contracts.gen.variance import CONTRAVARIANT, COVARIANT, INVARIANT, Uses, Variance

# Dunders that define behaviour; the rest of object's dunders say nothing a protocol should require.
BEHAVIOUR_DUNDERS = frozenset(
    "__aenter__ __aexit__ __enter__ __exit__ __call__ __iter__ __next__ __aiter__ __anext__ __await__ "
    "__len__ __contains__ __getitem__ __setitem__ __delitem__ __bool__ __reversed__ __getattr__".split()
)
_BUILTIN_CALLS = frozenset("str int float bool bytes bytearray complex list dict set frozenset tuple".split())
_VAR_KINDS = (griffe.ParameterKind.var_positional, griffe.ParameterKind.var_keyword)
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


class ProtocolWriter(PropertyRendering):
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
        self.variance = Variance(loader)
        self.uses: Uses = {}  # where each name stands (for the variance of the protocol's type parameters)
        self._scope: griffe.Object | None = None  # where the names of a quoted annotation resolve
        self._inferred_names: set[str] = set()
        self._inferred_read_only = False  # the inferred type holds for both checkers only if read-only

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
        own = method_type_vars(annotation, owner, self.loader) if annotation is not None else set()
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
        if any(bounded_self(o, self.loader) for o in kept):
            self.warnings.append(f"{name}: returns Self as the argument of a class bounded by this one; written as Any")
            self.weakened.append(f"{name} (Self as Any in a bounded argument)")
            self._subst = {**self._subst, **{path: ("Any", {}) for path in ("typing.Self", "typing_extensions.Self")}}
        if obj.overloads:
            overloads = [o for o in kept if self_applies(o, self.bases, self.loader, self.imports)] or kept
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
        return lines

    def _attribute(self, name: str, obj: griffe.Attribute, base: Base) -> list[str]:
        if "property" in obj.labels:
            return self._property(name, obj)
        target = self._aliased_method(obj)
        if target is not None:
            return self._method_alias(name, target)
        shadowed = self._method_assigned_over(name, obj)
        if shadowed is not None:
            return shadowed
        class_level = "class-attribute" in obj.labels
        if self.enum and base.cls.path not in ENUM_BASES and class_level and is_member_value(obj):
            # an enum member: read-only, of the enum's type for mypy; pyright compares its value's type
            enum_class = self.imports.add(base.cls.name, base.cls.path)
            value_type = literal_of(obj.value) or self.imports.add("Any", "typing.Any")
            self.weakened.append(f"{name} (enum member: {enum_class} | {value_type})")
            return self._read_only(name, f"{enum_class} | {value_type}")
        final, inner = final_of(obj.annotation)
        if final and class_level and obj.value is not None:
            # mypy takes a class-level Final only for a read-only property, pyright only for a ClassVar
            # (which mypy refuses): no protocol member satisfies both, so the protocol leaves it out
            self.warnings.append(f"{name}: a class-level Final has no protocol form both mypy and pyright accept; left out")
            self.weakened.append(f"{name} (left out: class-level Final)")
            return []
        if final or read_only_fields(base.cls):
            annotation = inner if final else obj.annotation
            self.annotations += annotation is not None
            text = self._expr(annotation, use="out") if annotation is not None else None
            text = text or self._inferred(obj) or literal_of(obj.value) or self._missing(name)
            return self._read_only(name, text)
        if obj.annotation is not None:
            self.annotations += 1
            head = obj.annotation.left if isinstance(obj.annotation, griffe.ExprSubscript) else obj.annotation
            if isinstance(head, (griffe.ExprName, griffe.ExprAttribute)):
                found = descriptor_get(self.loader, self.imports.follow(head.canonical_path), self.warnings)
                if found is not None:  # `dispatch: dispatcher[Session]`: what `__get__` returns
                    getter, owner, _ = found
                    declared = self._expr(obj.annotation, use="out")
                    self._subst = descriptor_subst(owner, obj.annotation, self.loader)
                    returns = self._expr(getter.returns, use="out") if getter.returns is not None else self._missing(f"{name} descriptor")
                    return self._descriptor(name, returns, declared)
            text = self._expr(obj.annotation, use="inout")
            if str(base.cls.filepath).endswith(".pyi") and self._is_callable(obj.annotation):
                # a stub's class-level Callable: pyright binds it like a method, mypy does not
                any_callable = f"{self.imports.add('Callable', 'collections.abc.Callable')}[..., {self.imports.add('Any', 'typing.Any')}]"
                self.weakened.append(f"{name} (read-only, Callable: bound by pyright)")
                return self._read_only(name, f"{any_callable} | {text}")
            if "class-attribute" in obj.labels and "instance-attribute" not in obj.labels:
                text = f"{self.imports.add('ClassVar', 'typing.ClassVar')}[{text}]"
            return [f"    {name}: {text}"]
        descriptor = self._descriptor_value(name, obj)
        if descriptor is not None:
            return descriptor
        inferred = self._inferred(obj, use="out")
        if inferred is None and self._names_module(obj):  # `self.backend = json`: read-only for the checkers
            self.annotations += 1
            return self._read_only(name, self.imports.add("ModuleType", "types.ModuleType"))
        if class_level or self._inferred_read_only or (inferred is not None and optional(inferred)):
            # a class constant, or `self.x = x` where x may have been narrowed: read-only is what holds
            if not self._inferred_read_only:  # which says why itself
                self.weakened.append(f"{name} (read-only)")
            return self._read_only(name, inferred or literal_of(obj.value) or self._missing(name))
        for spelled in self._inferred_names:  # a settable attribute: its type is also an input
            self.uses.setdefault(spelled, set()).update((COVARIANT, CONTRAVARIANT))
        return [f"    {name}: {inferred or literal_of(obj.value) or self._missing(name)}"]

    # ----- functions and properties -----------------------------------------------------------------

    def _function(self, name: str, func: griffe.Function, *decorators: str) -> list[str]:
        outer = self._subst
        self._subst = {**outer, **self._self_arguments(func)}
        try:
            return self._signature(name, func, decorators)
        finally:
            self._subst = outer

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
            if isinstance(argument, griffe.ExprName) and method_type_vars(argument, owner.cls, self.loader):
                mapping[argument.canonical_path] = owner.subst.get(param) or (griffe.ExprName(param.rpartition(".")[2], parent=owner.cls), {})
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
        managed = self._managed(name, func, self_names)
        if func.returns is not None:
            self.annotations += 1
        if managed is not None:  # @contextmanager turns a generator of T into a context manager of T
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
        lines.append(f"    {prefix} {name}({params}) -> {returns}: ...")
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
            if index == 0 and skip_annotation_of_first and kind not in _VAR_KINDS:
                parts.append(text)
            else:
                if param.annotation is None:
                    text += f": {self._missing(f'{label}({param.name})')}"
                else:
                    self.annotations += 1
                    text += f": {self._expr(param.annotation, use='in')}"
                if param.default is not None and kind not in _VAR_KINDS:
                    text += " = ..."
                parts.append(text)
            following = params[index + 1] if index + 1 < len(params) else None
            if kind is griffe.ParameterKind.positional_only and (following is None or following.kind is not griffe.ParameterKind.positional_only):
                parts.append("/")
        return ", ".join(parts)

    def _inferred(self, attribute: griffe.Attribute, use: str = "inout") -> str | None:
        self._inferred_names = set()
        self._inferred_read_only = False
        return self._infer(attribute, use)

    def _infer(self, attribute: griffe.Attribute, use: str) -> str | None:
        """The type mypy infers for ``self.x = param`` (the parameter's annotation) or ``self.x = Cls(...)``."""
        value = attribute.value
        if isinstance(value, griffe.ExprName) and isinstance(attribute.parent, griffe.Class) and attribute.lineno:
            for function in attribute.parent.functions.values():
                if (function.lineno or 0) <= attribute.lineno <= (function.endlineno or 0):
                    param = next((p for p in function.parameters if p.name == value.name), None)
                    if param is not None and param.annotation is not None:
                        self.annotations += 1
                        if _tested_before(param.name, function, attribute.lineno):
                            # `if role not in (A, B): raise` narrows role: read-only holds, whatever the narrowing
                            self._inferred_read_only = True
                            self.weakened.append(f"{attribute.name} (read-only: {param.name} is tested before it is assigned)")
                        return self._parameter_type(attribute.name, param, function, use)
        if isinstance(value, griffe.ExprCall) and isinstance(value.function, griffe.ExprName):
            if value.function.canonical_path in _BUILTIN_CALLS:  # `self.root = str(root)`, `ATTRS = frozenset(...)`
                self.annotations += 1
                return value.function.name + self.imports.bare_arguments(value.function.canonical_path)
            called = self.loader.resolve(value.function.canonical_path) if "." in value.function.canonical_path else None
            if isinstance(called, griffe.Class):
                self.annotations += 1
                return self.imports.add(value.function.name, called.path) + self.imports.bare_arguments(called.path)
        return None

    def _parameter_type(self, name: str, param: griffe.Parameter, function: griffe.Function, use: str) -> str:
        """The type of ``self.<name> = <param>``: a ``*args`` parameter gives a tuple, ``**kwargs`` a dict.
        A type variable of the method itself (``P.args``, a method's ``T``) means nothing outside it: Any."""
        assert param.annotation is not None
        if method_type_vars(param.annotation, function.parent, self.loader):
            self.warnings.append(f"{name}: typed with a type variable of {function.name}() only; written as Any")
            self.weakened.append(f"{name} (Any: a type variable of {function.name}())")
            return self.imports.add("Any", "typing.Any")
        widened = self._widened_literal(param.annotation)
        if widened is not None and param.kind not in _VAR_KINDS:
            # mypy keeps the parameter's Literal, pyright widens it: a read-only attribute of the widened type
            self.weakened.append(f"{name} (read-only {widened}: pyright widens the Literal)")
            self._inferred_read_only = True
            return self.imports.add(widened, f"builtins.{widened}")
        self._inferred_names = _names(param.annotation, self._subst)
        text = self._expr(param.annotation, use=use)
        if param.kind is griffe.ParameterKind.var_positional:
            return f"{self.imports.add('tuple', 'builtins.tuple')}[{text}, ...]"
        if param.kind is griffe.ParameterKind.var_keyword:
            return f"{self.imports.add('dict', 'builtins.dict')}[{self.imports.add('str', 'builtins.str')}, {text}]"
        return text

    def _method_assigned_over(self, name: str, obj: griffe.Attribute) -> list[str] | None:
        """``self.transaction = transaction`` where the class or a base defines a method ``transaction``:
        the checkers refuse the assignment and keep the method, so the protocol has the method."""
        if "class-attribute" in obj.labels or obj.annotation is not None:
            return None
        for base in self.bases:
            method = base.cls.members.get(name)
            if isinstance(method, griffe.Function):
                outer, self._subst = self._subst, base.subst
                try:
                    return self._function_member(name, method)
                finally:
                    self._subst = outer
        return None

    def _method_alias(self, name: str, target: griffe.Function) -> list[str]:
        """``get_all = getlist``: the method's signature, its overloads included. pyright matches no
        signature of such an alias that uses a type variable of the method's own, so those are Any."""
        signatures = target.overloads or [target]
        annotations = [a for f in signatures for a in [f.returns, *(p.annotation for p in f.parameters)] if a is not None]
        own = {v for a in annotations for v in method_type_vars(a, target.parent, self.loader)}
        if not own:
            return self._function_member(name, target)
        self.warnings.append(f"{name}: an alias of {target.name}() with type variables of its own; they are written as Any")
        self.weakened.append(f"{name} (alias: its type variables as Any)")
        outer = self._subst
        self._subst = {**outer, **{path: ("Any", {}) for path in own}}
        try:
            return self._function_member(name, target)
        finally:
            self._subst = outer

    def _names_module(self, attribute: griffe.Attribute) -> bool:
        """Whether an attribute is assigned a module its module imports (``import json``, ``from . import utils``)."""
        value = attribute.value
        first = value.first if isinstance(value, griffe.ExprAttribute) else value
        if not isinstance(value, (griffe.ExprName, griffe.ExprAttribute)) or not isinstance(first, griffe.ExprName):
            return False
        bound = attribute.module.members.get(first.name)  # an import binds the name in the module
        if not isinstance(bound, (griffe.Alias, griffe.Module)):
            return False
        head = bound.target_path if isinstance(bound, griffe.Alias) else bound.path
        return self.loader.locate(head + str(value)[len(first.name) :]) is not None

    def _widened_literal(self, annotation: griffe.Expr | str) -> str | None:
        """``str`` for ``Literal["a", "b"]`` (or a name bound to it), as pyright widens an unannotated
        attribute assigned one; None for anything else."""
        if isinstance(annotation, (griffe.ExprName, griffe.ExprAttribute)) and "." in annotation.canonical_path:
            found = self.loader.resolve(self.imports.follow(annotation.canonical_path))
            annotation = found.value if isinstance(found, griffe.Attribute) and found.value is not None else annotation
        if not isinstance(annotation, griffe.ExprSubscript) or str(annotation.left).rsplit(".", 1)[-1] != "Literal":
            return None
        values = annotation.slice.elements if isinstance(annotation.slice, griffe.ExprTuple) else [annotation.slice]
        kinds = {_literal_kind(value) for value in values}
        return kinds.pop() if len(kinds) == 1 and None not in kinds else None

    def _is_callable(self, annotation: griffe.Expr | str) -> bool:
        """``Callable[...]``, or a name that a type alias binds to one."""
        head = annotation.left if isinstance(annotation, griffe.ExprSubscript) else annotation
        if not isinstance(head, (griffe.ExprName, griffe.ExprAttribute)):
            return False
        if head.canonical_path.rsplit(".", 1)[-1] == "Callable":
            return True
        found = self.loader.resolve(self.imports.follow(head.canonical_path)) if "." in head.canonical_path else None
        value = found.value if isinstance(found, griffe.Attribute) else None
        value_head = value.left if isinstance(value, griffe.ExprSubscript) else None
        return isinstance(value_head, (griffe.ExprName, griffe.ExprAttribute)) and str(value_head).rsplit(".", 1)[-1] == "Callable"

    def _aliased_method(self, attribute: griffe.Attribute) -> griffe.Function | None:
        """``with_options = copy`` in a class body: the method it names."""
        value = attribute.value
        class_level = "class-attribute" in attribute.labels  # `self.x = param` is not (and param may be named like a method)
        if isinstance(value, griffe.ExprName) and attribute.annotation is None and class_level:
            for base in self.bases:
                target = base.cls.members.get(value.name)
                if isinstance(target, griffe.Function):
                    return target
        return None

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


def _tested_before(name: str, function: griffe.Function, lineno: int) -> bool:
    """Whether a condition (``if``, ``elif``, ``while``, ``assert``) tests ``name`` itself (``is``, ``in``,
    ``==``, ``isinstance``) before line ``lineno`` of the function: it may be narrowed where it is assigned."""
    start = function.lineno or 0
    lines = function.lines[: max(lineno - start, 0)] if start else []
    spelled = re.escape(name)
    tested = rf"(?:isinstance\(\s*{spelled}\b|\b{spelled}\s+(?:is|in|not)\b|\b{spelled}\s*(?:==|!=))"  # the name itself, not name[...]
    condition = re.compile(rf"^\s*(?:if|elif|while|assert)\b.*{tested}")
    return any(condition.match(line) for line in lines)


def _literal_kind(value: griffe.Expr | str) -> str | None:
    """The builtin type of one value of a ``Literal[...]``."""
    text = str(value)
    if text[:1] in "'\"":
        return "str"
    if text in {"True", "False"}:
        return "bool"
    return "int" if text.lstrip("-").isdigit() else None


def _names(expr: griffe.Expr | str, subst: Subst) -> set[str]:
    """The names in an annotation, inherited type parameters replaced by the names of their arguments."""
    found: set[str] = set()
    for item in expr.iterate(flat=True) if isinstance(expr, griffe.Expr) else ():
        if isinstance(item, griffe.ExprName):
            value = subst.get(item.canonical_path) if subst else None
            found |= _names(value[0], value[1]) if value is not None else {item.name}
    return found
