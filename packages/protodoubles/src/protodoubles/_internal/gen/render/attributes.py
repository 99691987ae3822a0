"""Rendering a class's attributes: annotated ones, and what an unannotated one has by what it is assigned
(a parameter, a constructor call, a module, another method), read-only wherever the checkers read it so.
A mixin of ``ProtocolWriter``, which supplies the state and the methods declared here."""

from __future__ import annotations

import re

import griffe

from protodoubles._internal.gen.load import scan
from protodoubles._internal.gen.load.source import ClassFacts, class_function
from protodoubles._internal.gen.model.bases import Base, Subst, owned_type_params, type_vars_in
from protodoubles._internal.gen.model.kinds import (
    ENUM_BASES,
    descriptor_get,
    descriptor_subst,
    final_of,
    is_member_value,
    literal_of,
    optional,
    read_only_fields,
)
from protodoubles._internal.gen.model.variance import CONTRAVARIANT, COVARIANT, Uses
from protodoubles._internal.gen.render.properties import PropertyRendering

_BUILTIN_CALLS = frozenset(["str", "int", "float", "bool", "bytes", "bytearray", "complex", "list", "dict", "set", "frozenset", "tuple"])
VAR_KINDS = (griffe.ParameterKind.var_positional, griffe.ParameterKind.var_keyword)


class AttributeRendering(PropertyRendering):
    bases: list[Base]
    enum: bool
    uses: Uses
    _subst: Subst
    _inferred_names: set[str]
    _inferred_read_only: bool  # the inferred type holds for both checkers only if read-only
    _owned: dict[str, frozenset[str]]  # class path -> its type parameters and its bases' (see method_type_vars)

    def _function_member(self, name: str, obj: griffe.Function) -> list[str]:
        raise NotImplementedError

    def _facts_of(self, klass: griffe.Class) -> ClassFacts:
        raise NotImplementedError

    def method_type_vars(self, annotation: griffe.Expr | str, owner: griffe.Object | None) -> set[str]:
        """The type variables in ``annotation`` (of a member of class ``owner``) that belong to the member
        alone: neither a type parameter of the class nor of its bases."""
        found = type_vars_in(annotation, self.loader)
        if not found or not isinstance(owner, griffe.Class):
            return found
        if owner.path not in self._owned:
            self._owned[owner.path] = owned_type_params(owner, self.loader)
        return found - self._owned[owner.path]

    def _attribute(self, name: str, obj: griffe.Attribute, base: Base) -> list[str]:
        head = obj.annotation.left if isinstance(obj.annotation, griffe.ExprSubscript) else obj.annotation
        if isinstance(head, (griffe.ExprName, griffe.ExprAttribute)) and head.canonical_path == "dataclasses.InitVar":
            return []  # a parameter of the dataclass's __init__, never an attribute
        if "property" in obj.labels:
            return self._property(name, obj)
        target = self._aliased_method(obj)
        if target is not None:
            return self._method_alias(name, target)
        shadowed = self._method_assigned_over(name, obj)
        if shadowed is not None:
            return shadowed
        class_level = "class-attribute" in obj.labels
        if (redeclared := None if class_level else self._declared_above(name, obj, base)) is not None:
            return redeclared
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
                if re.search(r"\bClassVar\[", obj.source):  # griffe drops the ClassVar; one without self cannot be bound
                    self.warnings.append(f"{name}: a ClassVar Callable, which pyright binds as a method; left out")
                    self.weakened.append(f"{name} (left out: ClassVar Callable)")
                    return []
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
                        guard = self._type_guard(param.name, function, attribute.lineno)
                        text = self._parameter_type(attribute.name, param, function, use)
                        if guard is None:
                            return text
                        # `if not is_seq(m): raise` narrows m to what the TypeGuard says, not to a part of m
                        self._inferred_read_only = True
                        self.weakened.append(f"{attribute.name} (read-only: {param.name} is narrowed by a TypeGuard)")
                        return f"{text} | {guard}"
        if isinstance(value, griffe.ExprCall) and isinstance(value.function, griffe.ExprName):
            if value.function.canonical_path in _BUILTIN_CALLS:  # `self.root = str(root)`, `ATTRS = frozenset(...)`
                self.annotations += 1
                return value.function.name + self.imports.bare_arguments(value.function.canonical_path)
            called = self.loader.resolve(value.function.canonical_path) if "." in value.function.canonical_path else None
            if isinstance(called, griffe.Class):
                self.annotations += 1
                return self.imports.add(value.function.name, called.path) + self.imports.bare_arguments(called.path)
        return None

    def _declared_above(self, name: str, obj: griffe.Attribute, base: Base) -> list[str] | None:
        """An instance attribute a base annotates and a subclass assigns unannotated (``self.cli = AppGroup()``
        over ``cli: Group``): mypy reads the base's type, pyright the subclass's; a read-only property of the
        base's type, the wider one, holds for both."""
        index = next(i for i, b in enumerate(self.bases) if b is base)
        if obj.annotation is None:
            above = [(b, m) for b in self.bases[index + 1 :] if isinstance(m := b.cls.members.get(name), griffe.Attribute)]
            found = next(((b, m) for b, m in above if m.annotation is not None and "class-attribute" not in m.labels), None)
        else:
            below = self.bases[:index]
            assigned = any(
                (isinstance(m := b.cls.members.get(name), griffe.Attribute) and m.annotation is None)
                or (name in (facts := self._facts_of(b.cls).self_attributes) and facts[name].annotation is None)
                for b in below
            )
            found = (base, obj) if assigned else None
        if found is None or found[1].annotation is None:
            return None
        outer, self._subst = self._subst, found[0].subst
        text, self._subst, self.annotations = self._expr(found[1].annotation, use="out"), outer, self.annotations + 1
        self.weakened.append(f"{name} (read-only: a subclass assigns it without the annotation {found[0].cls.name} gives)")
        return self._read_only(name, text)

    def _type_guard(self, name: str, function: griffe.Function, lineno: int) -> str | None:
        """What a ``TypeGuard`` function called on ``name`` in a condition before line ``lineno`` narrows it to."""
        start = function.lineno or 0
        text = "\n".join(function.lines[: max(lineno - start, 0)] if start else [])
        for match in re.finditer(rf"^\s*(?:if|elif|while|assert)\b.*?\b([\w.]+)\(\s*{re.escape(name)}\s*[,)]", text, re.MULTILINE):
            head, _, rest = match[1].partition(".")
            try:
                path = function.module.resolve(head) + (f".{rest}" if rest else "")
            except griffe.NameResolutionError:
                continue
            guard = self.loader.resolve(self.imports.follow(path)) if "." in path else None
            returns = guard.returns if isinstance(guard, griffe.Function) else None
            if isinstance(returns, griffe.ExprSubscript) and str(returns.left).rsplit(".", 1)[-1] == "TypeGuard":
                return self._expr(returns.slice, use="out")
        return None

    def _parameter_type(self, name: str, param: griffe.Parameter, function: griffe.Function, use: str) -> str:
        """The type of ``self.<name> = <param>``: a ``*args`` parameter gives a tuple, ``**kwargs`` a dict.
        A type variable of the method itself (``P.args``, a method's ``T``) means nothing outside it: Any."""
        assert param.annotation is not None
        if self.method_type_vars(param.annotation, function.parent):
            self.warnings.append(f"{name}: typed with a type variable of {function.name}() only; written as Any")
            self.weakened.append(f"{name} (Any: a type variable of {function.name}())")
            return self.imports.add("Any", "typing.Any")
        widened = self._widened_literal(param.annotation)
        if widened is not None and param.kind not in VAR_KINDS:
            # mypy keeps the parameter's Literal, pyright widens it: a read-only attribute of the widened type
            self.weakened.append(f"{name} (read-only {widened}: pyright widens the Literal)")
            self._inferred_read_only = True
            return widened
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
        if "class-attribute" in obj.labels:
            return None
        for base in self.bases:
            member = base.cls.members.get(name)
            if isinstance(member, griffe.Attribute) and member is not obj and "property" in member.labels:
                outer, self._subst = self._subst, base.subst  # `self.tip = tip` through an inherited property
                try:
                    return self._property(name, member)
                finally:
                    self._subst = outer
            method = class_function(base.cls, name)
            if method is not None:
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
        own = {v for a in annotations for v in self.method_type_vars(a, target.parent)}
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
        """``str`` for ``Literal["a", "b"]`` (or a name bound to it), ``str | None`` for it in an Optional or
        a union, as pyright widens an unannotated attribute assigned one; None when there is no Literal."""
        parts = _union_parts(annotation)
        literals = [self._literal_of(part) for part in parts]
        widened = [_widened(part, literal) for part, literal in zip(parts, literals, strict=True)]
        if not any(literals) or None in widened:
            return None  # no Literal, or one beside a type that is not a plain builtin
        return " | ".join(self.imports.add(kind, f"builtins.{kind}") if kind != "None" else kind for kind in dict.fromkeys(widened) if kind)

    def _literal_of(self, annotation: griffe.Expr | str) -> griffe.ExprSubscript | None:
        """The ``Literal[...]`` an annotation is, or that a name is bound to (``AlignMethod = Literal[...]``)."""
        if isinstance(annotation, (griffe.ExprName, griffe.ExprAttribute)) and "." in annotation.canonical_path:
            path = self._literal_alias(annotation.canonical_path)
            found = self.loader.resolve(path) if path is not None else None
            annotation = found.value if isinstance(found, griffe.Attribute) and found.value is not None else annotation
        return annotation if isinstance(annotation, griffe.ExprSubscript) and _is_literal(annotation) else None

    def _literal_alias(self, path: str) -> str | None:
        """Where ``path`` is assigned a ``Literal[...]``, following explicit imports through module text;
        None when the text shows no such assignment (no module is visited to find out)."""
        for _ in range(_LITERAL_HOPS):
            module, _, name = path.rpartition(".")
            source = self.loader.text(module) if module else None
            if source is None:
                return None
            if scan.line_starting(source[0], name, _LITERAL_VALUE):
                return path
            bound = scan.binding(source[0], name, module, source[1])
            if bound is None or bound.source is None:
                return None
            path = bound.source
        return None

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


def _is_literal(annotation: griffe.Expr | str) -> bool:
    return isinstance(annotation, griffe.ExprSubscript) and str(annotation.left).rsplit(".", 1)[-1] == "Literal"


def _widened(annotation: griffe.Expr | str, literal: griffe.ExprSubscript | None) -> str | None:
    """What pyright widens one member of a union to: a Literal's builtin type, a plain builtin or None as
    they are; None for anything else."""
    if str(annotation) == "None":
        return "None"
    if isinstance(annotation, (griffe.ExprName, griffe.ExprAttribute)) and annotation.canonical_path in _BUILTIN_KINDS:
        return annotation.canonical_path.rsplit(".", 1)[-1]  # `bool | Literal["auto"]`
    if literal is None:
        return None
    values = literal.slice.elements if isinstance(literal.slice, griffe.ExprTuple) else [literal.slice]
    kinds = {_literal_kind(value) for value in values}
    return kinds.pop() if len(kinds) == 1 and None not in kinds else None


def _tested_before(name: str, function: griffe.Function, lineno: int) -> bool:
    """Whether a condition (``if``, ``elif``, ``while``, ``assert``) tests ``name`` itself (``is``, ``in``,
    ``==``, ``isinstance``) before line ``lineno`` of the function: it may be narrowed where it is assigned."""
    start = function.lineno or 0
    lines = function.lines[: max(lineno - start, 0)] if start else []
    spelled = re.escape(name)
    tested = rf"(?:isinstance\(\s*{spelled}\b|\b{spelled}\s+(?:is|in|not)\b|\b{spelled}\s*(?:==|!=))"  # the name itself, not name[...]
    condition = re.compile(rf"^\s*(?:if|elif|while|assert)\b.*{tested}")
    return any(condition.match(line) for line in lines)


_LITERAL_HOPS = 4  # re-exports followed to find a Literal alias
_LITERAL_VALUE = re.compile(r"[ \t]*(?::[^=\n]*)?=[ \t]*(?:\w+\.)*Literal\[", re.MULTILINE)  # after a name that starts a line
_BUILTIN_KINDS = frozenset({"str", "int", "bool", "bytes", "builtins.str", "builtins.int", "builtins.bool", "builtins.bytes"})


def _union_parts(annotation: griffe.Expr | str) -> list[griffe.Expr | str]:
    """The members of ``A | B``, ``Optional[A]`` and ``Union[A, B]``; the annotation alone otherwise."""
    if isinstance(annotation, griffe.ExprBinOp) and annotation.operator == "|":
        return [*_union_parts(annotation.left), *_union_parts(annotation.right)]
    if isinstance(annotation, griffe.ExprSubscript) and str(annotation.left).rsplit(".", 1)[-1] in {"Optional", "Union"}:
        inner = list(annotation.slice.elements) if isinstance(annotation.slice, griffe.ExprTuple) else [annotation.slice]
        return [*(part for item in inner for part in _union_parts(item)), *(["None"] if str(annotation.left).endswith("Optional") else [])]
    return [annotation]


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
