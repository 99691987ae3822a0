"""Finding the class to generate from: parsing ``module:Class`` or ``path.py:Class`` and loading it with
griffe, statically (nothing the target imports needs to be installed)."""

from __future__ import annotations

import ast
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import griffe

from protodoubles._internal.errors import GenerationError, SourceError
from protodoubles._internal.gen.load.loading import ModuleLoader
from protodoubles._internal.gen.model.bases import class_at


class Target(NamedTuple):
    spec: str  # as the user wrote it
    module: str  # dotted module the class is defined or exported in
    qualname: str  # Class, or Outer.Inner
    search_paths: tuple[str, ...]
    file: Path | None = None  # for path/to/file.py targets


def parse_target(spec: str, root: Path, search_path: Sequence[Path] = ()) -> Target:
    """``package.module:Class`` or ``path/to/file.py:Class``; paths are relative to ``root``, modules are
    found in ``root``, then ``search_path`` (the project's source folders), then ``sys.path``."""
    where, sep, qualname = spec.rpartition(":")
    if not sep or not where or not qualname or not all(p.isidentifier() for p in qualname.split(".")):
        raise GenerationError(f"malformed target {spec!r}: expected 'package.module:Class' or 'path/to/file.py:Class'")
    if where.endswith(".py") or "/" in where or "\\" in where:
        path = (root / where).resolve()
        if not path.is_file():
            raise GenerationError(f"{where}: no such file (target {spec!r})")
        package_root, module = _module_of_file(path)
        return Target(spec, module, qualname, (str(package_root), *_default_paths(root, search_path)), path)
    if not all(p.isidentifier() for p in where.split(".")):
        raise GenerationError(f"malformed target {spec!r}: {where!r} is not a dotted module name")
    return Target(spec, where, qualname, _default_paths(root, search_path))


def _default_paths(root: Path, search_path: Sequence[Path]) -> tuple[str, ...]:
    paths = [str(root), *(str(p) for p in search_path)] + [p for p in sys.path if p and Path(p).is_dir()]
    return tuple(dict.fromkeys(paths))


def package_parts(path: Path) -> tuple[Path, list[str]]:
    """The folder above the file's package chain and the dotted parts of the name the file is importable
    as (empty for an ``__init__.py`` outside a package)."""
    parts = [path.stem] if path.stem != "__init__" else []
    folder = path.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return folder, parts


def _module_of_file(path: Path) -> tuple[Path, str]:
    """The folder to search from and the dotted name the file would be importable as."""
    folder, parts = package_parts(path)
    if not parts:
        raise GenerationError(f"{path}: an __init__.py outside a package cannot be a target")
    return folder, ".".join(parts)


def load_class(target: Target, *, focus: bool = True) -> tuple[griffe.Class, ModuleLoader]:
    """The target class, with only the modules it lives in visited (others load on demand)."""
    from protodoubles._internal.gen.load.source import FactsExtension

    loader = ModuleLoader(target.search_paths, [FactsExtension()], focus=focus)
    try:
        if focus:  # a protocol family (protodoubles._internal.gen.render.family) may follow into any class: all read whole
            # where the class is defined, read from the texts (`pkg:Client` re-exported from `pkg._client`)
            head, *rest = target.qualname.split(".")
            defined = loader.text_path(f"{target.module}.{head}")
            loader.focus_on(*defined.rsplit(".", 1))
            found = loader.get(".".join([defined, *rest])) if defined != f"{target.module}.{head}" else None
            if isinstance(found, griffe.Class):
                return found, loader  # the re-exporting module's own text need not be visited
        module = loader.module(target.module)
    except SourceError as exc:
        raise GenerationError(str(exc)) from None
    if module is None:
        raise GenerationError(f"module {target.module!r} not found on the search path (target {target.spec!r})")
    path = f"{target.module}.{target.qualname}"
    try:
        found = loader.get(path) or _from_module_getattr(loader, module, target.qualname)
        if found is None:
            raise GenerationError(_not_found(target, module))
        obj = loader.resolve(path) if isinstance(found, griffe.Alias) else found
        if obj is None:
            where = found.target_path if isinstance(found, griffe.Alias) else "another module"
            raise GenerationError(f"{target.spec}: defined in {where}, which cannot be read statically")
        if isinstance(obj, griffe.Attribute):
            obj = class_at(loader, obj.path) or obj  # `FileLock = UnixFileLock`, `Decoder = json.JSONDecoder`
    except SourceError as exc:
        raise GenerationError(str(exc)) from None
    if not isinstance(obj, griffe.Class):
        article = "an" if obj.kind.value[0] in "aeiou" else "a"
        raise GenerationError(f"{target.spec}: {target.qualname!r} is {article} {obj.kind.value}, not a class")
    return obj, loader


def _from_module_getattr(loader: ModuleLoader, module: griffe.Module, name: str) -> griffe.Object | griffe.Alias | None:
    """A name a module exports through ``def __getattr__(name)``: the import in its body that binds it
    (``if name == "ThreadPoolExecutor": from .thread import ThreadPoolExecutor``)."""
    function = module.members.get("__getattr__")
    if not isinstance(function, griffe.Function) or "." in name or not function.lineno or not function.endlineno:
        return None
    text = "\n".join(function.lines)
    try:
        tree = ast.parse(textwrap.dedent(text))
    except SyntaxError:
        return None
    package = module.path if module.is_init_module else module.path.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name == name:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1] if node.level else []
                    source = ".".join([*base, *([node.module] if node.module else [])])
                    return loader.get(f"{source}.{name}")
    return None


def _not_found(target: Target, scope: griffe.Object | griffe.Alias) -> str:
    import difflib  # an error path only: not loaded on an ordinary run

    classes = [name for name, m in scope.members.items() if m.kind is griffe.Kind.CLASS]
    close = difflib.get_close_matches(target.qualname.split(".")[-1], classes, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"class {target.qualname!r} not found in {target.module!r}{hint}"
