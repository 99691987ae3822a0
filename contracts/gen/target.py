"""Finding the class to generate from: parsing ``module:Class`` or ``path.py:Class`` and loading it with
griffe, statically (nothing the target imports needs to be installed)."""

from __future__ import annotations

import ast
import difflib
import sys
from dataclasses import dataclass
from pathlib import Path

import griffe


class GenerationError(Exception):
    """Bad input: a message for the user, exit status 2."""


@dataclass(frozen=True)
class Target:
    spec: str  # as the user wrote it
    module: str  # dotted module the class is defined or exported in
    qualname: str  # Class, or Outer.Inner
    search_paths: tuple[str, ...]
    file: Path | None = None  # for path/to/file.py targets


def parse_target(spec: str, root: Path) -> Target:
    """``package.module:Class`` or ``path/to/file.py:Class``; paths are relative to ``root``."""
    where, sep, qualname = spec.rpartition(":")
    if not sep or not where or not qualname or not all(p.isidentifier() for p in qualname.split(".")):
        raise GenerationError(
            f"malformed target {spec!r}: expected 'package.module:Class' or 'path/to/file.py:Class'"
        )
    if where.endswith(".py") or "/" in where or "\\" in where:
        path = (root / where).resolve()
        if not path.is_file():
            raise GenerationError(f"{where}: no such file (target {spec!r})")
        package_root, module = _module_of_file(path)
        return Target(spec, module, qualname, (str(package_root), *_default_paths(root)), path)
    if not all(p.isidentifier() for p in where.split(".")):
        raise GenerationError(f"malformed target {spec!r}: {where!r} is not a dotted module name")
    return Target(spec, where, qualname, _default_paths(root))


def _default_paths(root: Path) -> tuple[str, ...]:
    paths = [str(root)] + [p for p in sys.path if p and Path(p).is_dir()]
    return tuple(dict.fromkeys(paths))


def _module_of_file(path: Path) -> tuple[Path, str]:
    """The folder to search from and the dotted name the file would be importable as."""
    parts = [path.stem] if path.stem != "__init__" else []
    folder = path.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    if not parts:
        raise GenerationError(f"{path}: an __init__.py outside a package cannot be a target")
    return folder, ".".join(parts)


def load_class(target: Target) -> tuple[griffe.Class, griffe.GriffeLoader]:
    from contracts.gen.source import FactsExtension

    loader = griffe.GriffeLoader(
        search_paths=list(target.search_paths),
        allow_inspection=False,
        extensions=griffe.load_extensions(FactsExtension()),
    )
    top = target.module.split(".")[0]
    try:
        package = loader.load(top)
    except ModuleNotFoundError:
        raise GenerationError(f"module {target.module!r} not found on the search path (target {target.spec!r})") from None
    except SyntaxError as exc:
        raise GenerationError(f"{exc.filename}:{exc.lineno}: syntax error: {exc.msg}") from None
    except griffe.LoadingError as exc:
        cause = exc.__cause__
        if isinstance(cause, SyntaxError):
            where = target.file if target.file is not None and target.file.name == cause.filename else cause.filename
            raise GenerationError(f"{where}:{cause.lineno}: syntax error: {cause.msg}") from None
        raise GenerationError(f"cannot read {target.module!r}: {exc}") from None
    if not isinstance(package, griffe.Module):
        raise GenerationError(f"module {top!r} not found on the search path (target {target.spec!r})")
    module = package
    for part in target.module.split(".")[1:]:
        child = module.members.get(part)
        if not isinstance(child, griffe.Module):
            _raise_syntax_error(module, part)
            raise GenerationError(f"module {target.module!r} not found on the search path (target {target.spec!r})")
        module = child
    found: griffe.Object | griffe.Alias = module
    for part in target.qualname.split("."):
        member = found.members.get(part)
        if member is None:
            raise GenerationError(_not_found(target, found))
        found = member
    try:
        obj = found.final_target if isinstance(found, griffe.Alias) else found
    except griffe.AliasResolutionError as exc:
        where = exc.alias.target_path if isinstance(exc.alias, griffe.Alias) else "another module"
        raise GenerationError(f"{target.spec}: defined in {where}, which cannot be read statically") from None
    if isinstance(obj, griffe.Attribute) and isinstance(obj.value, griffe.ExprName):
        obj = _class_named(loader, obj.value.canonical_path) or obj  # `FileLock = UnixFileLock`: the class it names
    if not isinstance(obj, griffe.Class):
        article = "an" if obj.kind.value[0] in "aeiou" else "a"
        raise GenerationError(f"{target.spec}: {target.qualname!r} is {article} {obj.kind.value}, not a class")
    return obj, loader


def _class_named(loader: griffe.GriffeLoader, path: str) -> griffe.Class | None:
    try:
        found = loader.modules_collection.get_member(path)
        found = found.final_target if isinstance(found, griffe.Alias) else found
    except (KeyError, ValueError, griffe.AliasResolutionError):
        return None
    return found if isinstance(found, griffe.Class) else None


def _raise_syntax_error(package: griffe.Module, name: str) -> None:
    """griffe leaves out a submodule it cannot parse: say where the syntax error is."""
    folder = package.filepath.parent if isinstance(package.filepath, Path) else None
    for path in (folder / f"{name}.py", folder / name / "__init__.py") if folder else ():
        if path.is_file():
            try:
                ast.parse(path.read_bytes(), filename=str(path))
            except SyntaxError as exc:
                raise GenerationError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None


def _not_found(target: Target, scope: griffe.Object | griffe.Alias) -> str:
    classes = [name for name, m in scope.members.items() if m.kind is griffe.Kind.CLASS]
    close = difflib.get_close_matches(target.qualname.split(".")[-1], classes, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"class {target.qualname!r} not found in {target.module!r}{hint}"
