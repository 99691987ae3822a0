"""Protocol families: one module with a protocol per class along dotted attribute paths.

``gen-protocol openai:AsyncOpenAI --follow chat.completions --follow models`` writes protocols for
``AsyncOpenAI``, ``AsyncChat``, ``AsyncCompletions`` and ``AsyncModels``; in each parent the followed
attribute or property is a read-only property typed with the child's protocol, so a double of the root
can hand out typed doubles of the children, and the real client is still accepted where the root is
expected (a read-only protocol property accepts a property, a cached_property or an attribute).

Names: the root is ``--name`` (default ``<Class>Protocol``); every other class is ``<Class>Protocol``
unless two different classes would share that name, in which case both take the CamelCase of the path
that first reaches them (``chat.completions`` -> ``ChatCompletionsProtocol``). ``PATH=NAME`` overrides
the name of the class at the end of PATH.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import griffe

from protodoubles._internal.errors import GenerationError
from protodoubles._internal.gen.load.loading import ModuleLoader
from protodoubles._internal.gen.model.bases import Base
from protodoubles._internal.gen.render.imports import Imports
from protodoubles._internal.gen.render.module import class_block, module_text
from protodoubles._internal.gen.render.protocol import ProtocolWriter, Rendered


@dataclass(frozen=True)
class Follow:
    """One ``--follow`` entry: a dotted attribute path from the root class, and maybe a protocol name."""

    path: tuple[str, ...]
    name: str | None = None

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def parse_follow(text: str) -> Follow:
    """``chat.completions`` or ``chat.completions=ChatCompletionsProtocol``."""
    path, sep, name = text.partition("=")
    parts = tuple(part.strip() for part in path.strip().split("."))
    if not all(part.isidentifier() for part in parts):
        raise GenerationError(f"malformed --follow {text!r}: expected a dotted attribute path such as 'chat.completions'")
    if sep and not name.strip().isidentifier():
        raise GenerationError(f"malformed --follow {text!r}: the name after '=' must be an identifier")
    return Follow(parts, name.strip() if sep else None)


@dataclass
class Node:
    """A class of the family: its protocol name, the attributes followed from it, how it is reached."""

    cls: griffe.Class
    name: str
    route: str  # e.g. "AsyncOpenAI.chat -> AsyncChat.completions -> AsyncCompletions"
    first_path: tuple[str, ...]
    writer: ProtocolWriter
    members: list[tuple[str, griffe.Object, Base]]
    children: dict[str, Node] = field(default_factory=dict)
    named_by: str | None = None  # the PATH=NAME that named it


def _node(cls: griffe.Class, name: str, route: str, path: tuple[str, ...], loader: ModuleLoader, include_private: bool) -> Node:
    writer = ProtocolWriter(cls, loader, include_private=include_private)
    return Node(cls, name, route, path, writer, writer.members())


def build_family(root: griffe.Class, loader: ModuleLoader, root_name: str, follows: list[Follow], *, include_private: bool) -> list[Node]:
    """The family's classes, root first, then in the order the paths reach them."""
    top = _node(root, root_name, root.name, (), loader, include_private)
    top.named_by = "--name"
    nodes: dict[str, Node] = {root.path: top}
    for follow in follows:
        node = top
        for depth, attribute in enumerate(follow.path):
            child = node.children.get(attribute)
            if child is None:
                cls = _followed_class(node, attribute, loader, follow)
                child = nodes.get(cls.path)
                if child is None:
                    route = f"{node.route}.{attribute} -> {cls.name}"
                    child = nodes[cls.path] = _node(cls, f"{cls.name}Protocol", route, follow.path[: depth + 1], loader, include_private)
                node.children[attribute] = child
            node = child
        if follow.name is not None:
            if node.named_by is not None and node.name != follow.name:
                raise GenerationError(
                    f"--follow {follow.dotted}={follow.name}: {node.cls.name} is already named {node.name} (by {node.named_by})"
                )
            node.name, node.named_by = follow.name, f"{follow.dotted}={follow.name}"
    family = list(nodes.values())
    _disambiguate(family)
    return family


def _disambiguate(family: list[Node]) -> None:
    """Two different classes whose default names collide take the CamelCase of their first path."""
    by_name: dict[str, list[Node]] = {}
    for node in family:
        by_name.setdefault(node.name, []).append(node)
    for clashing in by_name.values():
        if len(clashing) < 2:
            continue
        for node in clashing:
            if node.named_by is not None:
                continue
            node.name = "".join(part[:1].upper() + part[1:] for part in node.first_path) + "Protocol"
    names = [node.name for node in family]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise GenerationError(f"two classes of the family would both be named {repeated[0]}: name one with --follow PATH=NAME")


def _followed_class(node: Node, attribute: str, loader: ModuleLoader, follow: Follow) -> griffe.Class:
    where = f"{node.cls.name}.{attribute} (--follow {follow.dotted})"
    obj = next((o for name, o, _ in node.members if name == attribute), None)
    if obj is None:
        names = [name for name, _, _ in node.members]
        close = difflib.get_close_matches(attribute, names, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise GenerationError(f"{node.cls.name} has no attribute {attribute!r} (--follow {follow.dotted}){hint}")
    annotation: griffe.Expr | str | None = None
    if isinstance(obj, griffe.Function):
        if not any(str(d.value).rsplit(".", 1)[-1] in {"property", "cached_property"} for d in obj.decorators):
            raise GenerationError(f"{where} is a method, not an attribute or property: only attributes can be followed")
        annotation = obj.returns
    elif isinstance(obj, griffe.Attribute):
        annotation = obj.annotation
    else:
        raise GenerationError(f"{where} is a {obj.kind.value}, not an attribute or property")
    if not isinstance(annotation, (griffe.ExprName, griffe.ExprAttribute)):
        shown = "no annotation" if annotation is None else f"type {annotation}"
        raise GenerationError(f"{where} has {shown}, not a single class: it cannot be followed")
    found = loader.resolve(annotation.canonical_path)
    if not isinstance(found, griffe.Class):
        raise GenerationError(f"{where}: its type {annotation.canonical_path} is not a class that can be read statically")
    return found


def render_family(family: list[Node], loader: ModuleLoader, *, target_spec: str, regenerate: str) -> Rendered:
    """One module with every protocol of the family; followed members typed with the child protocols."""
    imports = Imports(loader)  # one import block for the whole module: names hidden by any class's members
    shadowed: set[str] = set()
    for node in family:
        declared = {name for name, _, _ in node.members}
        shadowed |= declared | node.writer.extra_names(declared)
        imports.class_paths = {*imports.class_paths, *node.writer.imports.class_paths}
    imports.shadowed = shadowed
    blocks = []
    for node in family:
        node.writer.imports = imports
        replaced = {
            attribute: ["    @property", f"    def {attribute}(self) -> {child.name}: ..."] for attribute, child in node.children.items()
        }
        node.writer.annotations += len(replaced)
        spec = target_spec if node is family[0] else node.cls.path  # a docstring-less class: "the public interface of" it
        blocks.append(class_block(node.cls, node.writer, node.members, protocol_name=node.name, target_spec=spec, replaced=replaced))
    warnings: list[str] = []
    others = ", ".join(node.name for node in family[1:])
    summary = f"{blocks[0].summary.rstrip('.')}; with {others}." if others else blocks[0].summary
    text = module_text(blocks, imports, warnings, target_spec=target_spec, regenerate=regenerate, summary=summary)
    rendered = Rendered(text, sum(b.members for b in blocks), 0)
    for node in family:
        rendered.annotations += node.writer.annotations
        rendered.missing += [f"{node.cls.name}.{where}" for where in node.writer.missing]
        rendered.weakened += [f"{node.cls.name}.{where}" for where in node.writer.weakened]
        warnings += node.writer.warnings
    rendered.weakened += [f"{name} (Any: an untyped package)" for name in sorted(imports.untyped)]
    rendered.weakened += [f"{name} (Any: cannot be resolved)" for name in sorted(imports.unresolved)]
    rendered.warnings = list(dict.fromkeys(warnings))
    return rendered


def family_drift_lines(old_text: str | None, new_text: str, family: list[Node]) -> list[str]:
    """The drift report of every protocol of the family, each line led by the route to its class."""
    from protodoubles._internal.gen.check.drift import drift_lines

    lines: list[str] = []
    for node in family:
        lines += [f"{node.route}: {line}" for line in drift_lines(old_text, new_text, node.name)]
    return lines
