"""Assemble the generated protocol module: header, imports, type parameters and the class."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import griffe

from protodoubles._internal.gen.model.bases import Base
from protodoubles._internal.gen.render.imports import Imports
from protodoubles._internal.gen.load.loading import ModuleLoader
from protodoubles._internal.gen.render.protocol import ProtocolWriter, Rendered
from protodoubles._internal.gen.model.variance import CONTRAVARIANT, COVARIANT

_TYPE_PARAM_FACTORIES = ("TypeVar", "ParamSpec", "TypeVarTuple")
_TYPING_PARAMS = frozenset({"typing.AnyStr", "typing_extensions.AnyStr"})


@dataclass(frozen=True)
class TypeParam:
    """A type parameter of the target class, redeclared in the protocol module with a variance that
    matches how the protocol uses it (mypy rejects an invariant one used only in returns)."""

    name: str  # as the target spells it
    local: str  # as the protocol declares it
    declaration: str
    factory: str = "TypeVar"
    backport: bool = False  # `default=` (PEP 696) needs typing_extensions on Python < 3.13


def generate(
    cls: griffe.Class,
    loader: ModuleLoader,
    *,
    protocol_name: str,
    target_spec: str,
    regenerate: str,
    include_private: bool = False,
) -> Rendered:
    """The whole protocol module for ``cls``: deterministic, the same bytes for the same source."""
    writer = ProtocolWriter(cls, loader, include_private=include_private)
    members = writer.members()
    declared = {name for name, _, _ in members}
    writer.imports.shadowed = declared | writer.extra_names(declared)
    block = class_block(cls, writer, members, protocol_name=protocol_name, target_spec=target_spec)
    text = module_text([block], writer.imports, writer.warnings, target_spec=target_spec, regenerate=regenerate, summary=block.summary)
    weakened = writer.weakened + [f"{name} (Any: an untyped package)" for name in sorted(writer.imports.untyped)]
    weakened += [f"{name} (Any: cannot be resolved)" for name in sorted(writer.imports.unresolved)]
    return Rendered(text, block.members, writer.annotations, writer.missing, writer.warnings, weakened)


@dataclass
class ClassBlock:
    """One protocol class of a generated module, and what the module's header must declare for it."""

    name: str
    head: list[str]
    body: list[str]
    members: int
    params: list[TypeParam]
    summary: str


def class_block(
    cls: griffe.Class,
    writer: ProtocolWriter,
    members: list[tuple[str, griffe.Object, Base]],
    *,
    protocol_name: str,
    target_spec: str,
    replaced: Mapping[str, list[str]] | None = None,
) -> ClassBlock:
    """The protocol class for ``cls``; members named in ``replaced`` are written as given there."""
    replaced = replaced or {}
    body: list[str] = []
    names: set[str] = set()
    for name, obj, base in members:
        lines = replaced[name] if name in replaced else writer.render_member(name, obj, base)
        if lines:
            names.add(name)
            body += lines
    body += writer.extra_attributes(names)
    params = _type_params(cls, writer)
    for param in params:
        writer.imports.bound.pop(param.name, None)
        writer.imports.declared_here.pop(param.name, None)
        if param.local != param.name:
            pattern = re.compile(rf"\b{re.escape(param.name)}\b")
            body = [pattern.sub(param.local, line) for line in body]
    summary = _first_line(cls.docstring.value if cls.docstring else "") or f"The public interface of {target_spec}."
    generic = f"[{', '.join(f'Unpack[{p.local}]' if p.factory == 'TypeVarTuple' else p.local for p in params)}]" if params else ""
    head = ["@runtime_checkable", f"class {protocol_name}(Protocol{generic}):", f'    """{summary}"""']
    return ClassBlock(protocol_name, head, body, len(names), params, summary)


def module_text(
    blocks: Sequence[ClassBlock], imports: Imports, warnings: list[str], *, target_spec: str, regenerate: str, summary: str
) -> str:
    """Header, the imports every block shares, type parameters, then the classes."""
    params = list({p.declaration or p.name: p for block in blocks for p in block.params}.values())
    body = [line for block in blocks for line in block.body]
    # overloads that collapsed to one signature leave no decorator behind, and need no import
    runtime = {"Protocol", "runtime_checkable"} | ({"overload"} if "    @overload" in body else set())
    runtime |= {p.factory for p in params if p.declaration and not p.backport} | {p.name for p in params if not p.declaration}
    runtime |= {"Unpack"} if any(p.factory == "TypeVarTuple" for p in params) else set()  # Protocol[Unpack[Ts]]
    backports = sorted({p.factory for p in params if p.backport})
    used = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", "\n".join(body + [p.declaration for p in params])))
    if used & set(imports.declared_here):
        runtime.add("TypeVar")
    runtime -= set(backports)  # one TypeVar: typing_extensions' (it takes `default=`)
    deferred = imports.lines(used - {name for name in runtime if imports.bound.get(name) == f"typing.{name}"})  # imported already
    if deferred or any(p.declaration.startswith("if TYPE_CHECKING") for p in params):
        runtime.add("TYPE_CHECKING")
    head = [
        f"# Generated by tools/gen_protocol.py from {target_spec}. Do not edit by hand.",
        f"# Regenerate with: {regenerate}",
        f'"""Protocol of {target_spec}: {summary}"""',
        "",
        "from __future__ import annotations",
        "",
        f"from typing import {', '.join(sorted(runtime, key=str.lower))}",
        "",
    ]
    if backports:
        head[-1:-1] = [f"from typing_extensions import {', '.join(backports)}"]
    if deferred:
        head += ["if TYPE_CHECKING:", *(f"    {line}" for line in deferred), ""]
    head += [f"__all__ = [{', '.join(chr(34) + b.name + chr(34) for b in blocks)}]", ""]
    here = [line for local, line in sorted(imports.declared_here.items()) if local in used]
    if params or here:
        head += [p.declaration for p in params if p.declaration] + here + [""]
    lines = head
    for block in blocks:
        lines += ["", *block.head, *([""] if block.body else []), *block.body, ""]
    for name in sorted(imports.unresolved):
        warnings.append(f"the name {name!r} in an annotation cannot be resolved (not installed, or not found statically); written as Any")
    for name in sorted(imports.untyped):
        warnings.append(f"{name} comes from a package with no type information (no py.typed, no stubs); written as Any")
    return "\n".join(lines[:-1]) + "\n"


def _type_params(cls: griffe.Class, writer: ProtocolWriter) -> list[TypeParam]:
    """The class's type parameters, from ``Generic[...]`` if it has one, else from its generic bases."""
    found: list[tuple[str, griffe.Attribute | None]] = []
    bases = [b for b in cls.bases if isinstance(b, griffe.ExprSubscript)]
    generic = [b for b in bases if str(b.left).rsplit(".", 1)[-1] in {"Generic", "Protocol"}]
    for base in generic or bases:
        for item in base.slice.iterate(flat=True) if isinstance(base.slice, griffe.Expr) else ():
            if isinstance(item, griffe.ExprName) and item.name not in {n for n, _ in found}:
                if item.canonical_path in _TYPING_PARAMS:
                    found.append((item.name, None))  # typing.AnyStr: imported as it is
                    continue
                definition = _definition(item, writer.loader)
                if definition is not None:
                    found.append((item.name, definition))
    return [_redeclare(name, d, writer) if d is not None else TypeParam(name, name, "") for name, d in found]


def _definition(name: griffe.ExprName, loader: ModuleLoader) -> griffe.Attribute | None:
    obj = loader.resolve(name.canonical_path) if "." in name.canonical_path else None
    if isinstance(obj, griffe.Attribute) and str(obj.value).split("(")[0].rsplit(".", 1)[-1] in _TYPE_PARAM_FACTORIES:
        return obj
    return None


def _redeclare(name: str, definition: griffe.Attribute, writer: ProtocolWriter) -> TypeParam:
    call = ast.parse(str(definition.value), mode="eval").body
    assert isinstance(call, ast.Call)
    factory = ast.unparse(call.func).rsplit(".", 1)[-1]
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    declared = "covariant" if _is_true(keywords.get("covariant")) else "contravariant" if _is_true(keywords.get("contravariant")) else ""
    variance = ""
    if factory == "TypeVar":  # how the protocol uses it decides, whatever the class declared
        signs = writer.uses.get(name, set())
        inward, outward = CONTRAVARIANT in signs, COVARIANT in signs
        # used nowhere, it is covariant for mypy, which tries that first
        variance = "" if inward and outward else "contravariant" if inward else "covariant"
    local = name if variance == declared else f"{name}_{ {'covariant': 'co', 'contravariant': 'contra'}.get(variance, 'inv')}"
    args = [repr(local)]
    checked = [_forward_ref(constraint, definition, writer) for constraint in call.args[1:]]
    if "bound" in keywords:
        checked.append(f"bound={_forward_ref(keywords['bound'], definition, writer)}")
    if variance:
        args.append(f"{variance}=True")
    backport = "default" in keywords
    if backport:
        checked.append(f"default={_forward_ref(keywords['default'], definition, writer)}")
    plain = f"{local} = {factory}({', '.join(args)})"
    if not checked:
        return TypeParam(name, local, plain, factory, backport)
    # bounds, constraints and defaults name types imported under TYPE_CHECKING only: the type checker's
    # declaration has them, the run-time one (which nothing inspects) does without
    full = f"{local} = {factory}({', '.join([args[0], *checked, *args[1:]])})"
    return TypeParam(name, local, f"if TYPE_CHECKING:\n    {full}\nelse:\n    {plain}", factory, backport)


def _forward_ref(node: ast.expr, definition: griffe.Attribute, writer: ProtocolWriter) -> str:
    """A bound or constraint as a string (it is evaluated only by the type checker), its names imported."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        node = ast.parse(node.value, mode="eval").body
    if definition.parent is None:
        return ast.unparse(node)
    expr = griffe.safe_get_annotation(node, parent=definition.parent)
    return writer.imports.render(expr) if expr is not None else ast.unparse(node)


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _first_line(docstring: str) -> str:
    """The summary line of a docstring, safe inside a triple-quoted string."""
    line = docstring.strip().split("\n", 1)[0].strip()
    return line.replace("\\", "\\\\").replace('"', '\\"')
