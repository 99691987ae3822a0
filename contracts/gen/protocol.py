"""Render a griffe class as a ``typing.Protocol``: exact signatures, async generators as plain ``def``,
properties, overloads, attributes assigned in any method, inherited members, and the imports they need."""

from __future__ import annotations

import ast
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import griffe

from contracts.gen.imports import Imports, resolve_names
from contracts.gen.source import EXTRA_KEY, ClassFacts, facts_of_class, literal_type

# Dunders that define behaviour; the rest of object's dunders say nothing a protocol should require.
BEHAVIOUR_DUNDERS = frozenset(
    "__aenter__ __aexit__ __enter__ __exit__ __call__ __iter__ __next__ __aiter__ __anext__ __await__ "
    "__len__ __contains__ __getitem__ __setitem__ __delitem__ __bool__ __reversed__ __getattr__".split()
)
_SKIP_BASES = frozenset({"object", "typing.Generic", "typing.Protocol", "abc.ABC", "typing_extensions.Protocol"})
_PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
_CONTEXT_MANAGERS = {"contextmanager": "AbstractContextManager", "asynccontextmanager": "AbstractAsyncContextManager"}
_VAR_KINDS = (griffe.ParameterKind.var_positional, griffe.ParameterKind.var_keyword)


@dataclass
class Rendered:
    """A generated protocol module and what the generator could not see."""

    text: str
    members: int
    annotations: int
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def strength(self) -> str:
        present = self.annotations - len(self.missing)
        line = f"contract strength: {present}/{self.annotations} annotations present"
        if self.missing:
            shown = ", ".join(self.missing[:5]) + (", ..." if len(self.missing) > 5 else "")
            line += f"; {len(self.missing)} missing, typed as Any: {shown}"
        return line


class ProtocolWriter:
    def __init__(self, cls: griffe.Class, loader: griffe.GriffeLoader, *, include_private: bool) -> None:
        self.cls = cls
        self.loader = loader
        self.include_private = include_private
        self.imports = Imports(loader.modules_collection)
        self.uses_overload = False
        self.annotations = 0
        self.missing: list[str] = []
        self.warnings: list[str] = []
        self._facts: dict[str, ClassFacts] = {}
        self.used_in: set[str] = set()  # names in parameter annotations (for the variance of type parameters)
        self.used_out: set[str] = set()  # names in return, property and attribute annotations

    # ----- members ----------------------------------------------------------------------------------

    def wanted(self, name: str) -> bool:
        if name.startswith("__") and name.endswith("__"):
            return name in BEHAVIOUR_DUNDERS
        return self.include_private or not name.startswith("_")

    def members(self) -> list[tuple[str, griffe.Object]]:
        self._load_bases(self.cls, set())
        own: list[tuple[int, str, griffe.Object]] = []
        inherited: list[tuple[str, griffe.Object]] = []
        for name, member in self.cls.all_members.items():
            if not self.wanted(name) or member.kind is griffe.Kind.CLASS:
                continue
            try:
                obj = member.final_target if isinstance(member, griffe.Alias) else member
            except griffe.AliasResolutionError:
                self.warnings.append(f"{name}: its definition cannot be found; left out")
                continue
            if not isinstance(obj, griffe.Object) or obj.kind is griffe.Kind.CLASS:
                continue
            if name in self.cls.members and not self.cls.members[name].inherited:
                own.append((obj.lineno or 0, name, obj))
            else:
                inherited.append((name, obj))
        own.sort(key=lambda row: row[0])
        return [(name, obj) for _, name, obj in own] + inherited

    def extra_attributes(self, seen: set[str]) -> list[str]:
        """Attributes assigned through ``self`` outside ``__init__``, which griffe does not record."""
        lines: list[str] = []
        for klass in [self.cls, *self._resolved_bases(self.cls)]:
            for name, attribute in self._facts_of(klass).self_attributes.items():
                if name in seen or not self.wanted(name):
                    continue
                seen.add(name)
                text = attribute.annotation
                final = text is not None and (text == "Final" or text.startswith(("Final[", "typing.Final")))
                if final and text is not None:
                    text = text[text.index("[") + 1 : -1] if "[" in text else None
                annotation = self._annotation_text(klass, text) or literal_type(attribute.value) or self._missing(name)
                lines += ["    @property", f"    def {name}(self) -> {annotation}: ..."] if final else [f"    {name}: {annotation}"]
        return lines

    def render_member(self, name: str, obj: griffe.Object) -> list[str]:
        if isinstance(obj, griffe.Function):
            if any(str(d.value).rsplit(".", 1)[-1] in _PROPERTY_DECORATORS for d in obj.decorators):
                return self._read_only_property(name, obj)  # e.g. a cached_property re-exported under another module
            if obj.overloads:
                self.uses_overload = True
                return [line for overload in obj.overloads for line in self._function(name, overload, "@overload")]
            return self._function(name, obj)
        if isinstance(obj, griffe.Attribute):
            if "property" in obj.labels:
                return self._property(name, obj)
            target = self._aliased_method(obj)
            if target is not None:
                return self._function(name, target)
            final, inner = _final(obj.annotation)
            if final:  # a Protocol cannot declare Final members: a read-only property says the same
                self.annotations += inner is not None
                text = self._expr(inner, use="out") if inner is not None else None
                text = text or self._inferred(obj) or _literal_of(obj.value) or self._missing(name)
                return ["    @property", f"    def {name}(self) -> {text}: ..."]
            if obj.annotation is not None:
                self.annotations += 1
                text = self._expr(obj.annotation, use="inout")
                if "class-attribute" in obj.labels and "instance-attribute" not in obj.labels:
                    text = f"{self.imports.add('ClassVar', 'typing.ClassVar')}[{text}]"
                return [f"    {name}: {text}"]
            return [f"    {name}: {self._inferred(obj) or _literal_of(obj.value) or self._missing(name)}"]
        return []

    # ----- functions and properties -----------------------------------------------------------------

    def _function(self, name: str, func: griffe.Function, *decorators: str) -> list[str]:
        labels = func.labels
        lines = [f"    {d}" for d in decorators]
        if "staticmethod" in labels:
            lines.append("    @staticmethod")
        elif "classmethod" in labels:
            lines.append("    @classmethod")
        is_async = "async" in labels
        generator = is_async and bool(func.extra.get(EXTRA_KEY, {}).get("async_generator"))
        self_names = self._self_type_names(func) if "staticmethod" not in labels else set()
        params = self._parameters(func, name, skip_annotation_of_first="staticmethod" not in labels)
        if func.returns is None and generator:
            iterator = self.imports.add("AsyncIterator", "collections.abc.AsyncIterator")
            returns = f"{iterator}[{self.imports.add('Any', 'typing.Any')}]"
        elif func.returns is None:
            returns = self._missing(f"{name}() return")
        else:
            returns = self._expr(func.returns, replace=self_names, use="out")
        if func.returns is not None:
            self.annotations += 1
        manager = next((m for d in func.decorators if (m := _CONTEXT_MANAGERS.get(str(d.value).rsplit(".", 1)[-1]))), None)
        if manager is not None:  # @contextmanager turns a generator of T into a context manager of T
            local = self.imports.add(manager, f"contextlib.{manager}")
            yielded = func.returns.slice if isinstance(func.returns, griffe.ExprSubscript) else None
            first = yielded.elements[0] if isinstance(yielded, griffe.ExprTuple) else yielded
            inner = self._expr(first, replace=self_names, use="out") if first is not None else self._missing(f"{name}() yield")
            returns = f"{local}[{inner}]"
            is_async = generator = False
        prefix = "async def" if is_async and not generator else "def"
        lines.append(f"    {prefix} {name}({params}) -> {returns}: ...")
        return lines

    def _property(self, name: str, attribute: griffe.Attribute) -> list[str]:
        writable = "writable" in attribute.labels and "cached" not in attribute.labels
        annotation = self._expr(attribute.annotation, use="inout" if writable else "out") if attribute.annotation is not None else self._missing(f"{name} property")
        if attribute.annotation is not None:
            self.annotations += 1
        lines = ["    @property", f"    def {name}(self) -> {annotation}: ..."]
        if writable:
            lines += [f"    @{name}.setter", f"    def {name}(self, value: {annotation}) -> None: ..."]
        return lines

    def _read_only_property(self, name: str, func: griffe.Function) -> list[str]:
        returns = self._missing(f"{name} property") if func.returns is None else self._expr(func.returns, use="out")
        if func.returns is not None:
            self.annotations += 1
        return ["    @property", f"    def {name}(self) -> {returns}: ..."]

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

    def _self_type_names(self, func: griffe.Function) -> set[str]:
        """TypeVar names of a self-typed method (``def copy(self: U) -> U``), to be rendered as Self."""
        params = list(func.parameters)
        if not params or params[0].annotation is None or isinstance(params[0].annotation, str):
            return set()
        names = {n.name for n in params[0].annotation.iterate(flat=True) if isinstance(n, griffe.ExprName)}
        return {n for n in names if n not in {"type", "Type"}}

    def _inferred(self, attribute: griffe.Attribute) -> str | None:
        """The type mypy infers for ``self.x = param`` (the parameter's annotation) or ``self.x = Cls(...)``."""
        value = attribute.value
        if isinstance(value, griffe.ExprName) and isinstance(attribute.parent, griffe.Class) and attribute.lineno:
            for function in attribute.parent.functions.values():
                if (function.lineno or 0) <= attribute.lineno <= (function.endlineno or 0):
                    param = next((p for p in function.parameters if p.name == value.name), None)
                    if param is not None and param.annotation is not None:
                        self.annotations += 1
                        return self._expr(param.annotation)
        if isinstance(value, griffe.ExprCall) and isinstance(value.function, griffe.ExprName):
            try:
                called = self.loader.modules_collection.get_member(value.function.canonical_path)
            except KeyError:
                return None
            if isinstance(called, griffe.Class):
                self.annotations += 1
                return self.imports.add(value.function.name, value.function.canonical_path)
        return None

    def _aliased_method(self, attribute: griffe.Attribute) -> griffe.Function | None:
        """``with_options = copy`` in a class body: the method it names."""
        value = attribute.value
        if isinstance(value, griffe.ExprName) and attribute.annotation is None:
            target = self.cls.all_members.get(value.name)
            try:
                resolved = target.final_target if isinstance(target, griffe.Alias) else target
            except griffe.AliasResolutionError:
                return None
            if isinstance(resolved, griffe.Function):
                return resolved
        return None

    # ----- annotations ------------------------------------------------------------------------------

    def _expr(self, expr: griffe.Expr | str, replace: AbstractSet[str] = frozenset(), use: str = "") -> str:
        """An annotation as written, its names imported; ``use`` says where it stands ("in", "out"),
        and names in ``replace`` (a self-typed method's TypeVar) become ``Self``."""
        if not isinstance(expr, str):
            names = {n.name for n in expr.iterate(flat=True) if isinstance(n, griffe.ExprName)}
            if "in" in use:
                self.used_in |= names
            if "out" in use:
                self.used_out |= names
        self_name = self.imports.add("Self", "typing.Self") if replace else ""
        return self.imports.render(expr, replace, self_name)

    def _annotation_text(self, klass: griffe.Class, text: str | None) -> str | None:
        """An annotation read from the syntax tree, with its names resolved in the class's scope."""
        if text is None:
            return None
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError:
            return None
        self.annotations += 1
        return resolve_names(tree, klass, self.imports)

    def _missing(self, where: str) -> str:
        self.annotations += 1
        self.missing.append(where)
        return self.imports.add("Any", "typing.Any")

    # ----- helpers ----------------------------------------------------------------------------------

    def _facts_of(self, klass: griffe.Class) -> ClassFacts:
        if klass.path not in self._facts:
            self._facts[klass.path] = facts_of_class(klass)
        return self._facts[klass.path]

    def _resolved_bases(self, klass: griffe.Class) -> list[griffe.Class]:
        try:
            return [b for b in klass.mro() if isinstance(b, griffe.Class)]
        except (ValueError, griffe.AliasResolutionError):
            return [b for b in klass.resolved_bases if isinstance(b, griffe.Class)]

    def _load_bases(self, klass: griffe.Class, seen: set[str]) -> None:
        """Load the packages that base classes come from, so that inherited members are known."""
        for base in klass.bases:
            path = base.canonical_path if isinstance(base, griffe.Expr) else str(base)
            path = path.split("[")[0]
            if path in _SKIP_BASES or path in seen or path.startswith(("typing.", "builtins.")):
                continue
            seen.add(path)
            top = path.split(".")[0]
            if top not in self.loader.modules_collection:
                try:
                    self.loader.load(top)
                except (ModuleNotFoundError, griffe.LoadingError, OSError):
                    self.warnings.append(f"base class {path} cannot be found; its members are left out")
                    continue
            try:
                resolved = self.loader.modules_collection.get_member(path)
                resolved = resolved.final_target if isinstance(resolved, griffe.Alias) else resolved
            except (KeyError, griffe.AliasResolutionError):
                self.warnings.append(f"base class {path} cannot be found; its members are left out")
                continue
            if isinstance(resolved, griffe.Class):
                self._load_bases(resolved, seen)


def _final(annotation: griffe.Expr | str | None) -> tuple[bool, griffe.Expr | str | None]:
    """(is it ``Final`` or ``Final[T]``, T)."""
    head = annotation.left if isinstance(annotation, griffe.ExprSubscript) else annotation
    if not isinstance(head, (griffe.ExprName, griffe.ExprAttribute)) or str(head).rsplit(".", 1)[-1] != "Final":
        return False, None
    return True, annotation.slice if isinstance(annotation, griffe.ExprSubscript) else None


def _literal_of(value: griffe.Expr | str | None) -> str | None:
    if isinstance(value, str):
        try:
            return literal_type(ast.parse(value, mode="eval").body)
        except SyntaxError:
            return None
    return None

