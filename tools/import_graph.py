"""The first-party modules a set of files imports, directly or through each other, as ty finds them; and which
of those files a change reaches. tools/ty_gate.py checks again only those.

A module's imports are read from its syntax tree, wherever they stand (in a function, under ``if``), as specs:
``m:a.b.c`` names the modules a, a.b and a.b.c in any search root (and the stub packages ``a-stubs``), and
``r:<folder>:x.y`` names x and x.y relative to a folder (``from . import x``). The files they find come from
folder listings read once a run; each folder listed is kept with its modification time, so that a later run
can tell that no file appeared or went away anywhere an import looked.
"""

from __future__ import annotations

import ast
import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

SETTLE = 2  # seconds: a folder changed more recently than this is listed again next run

Node = tuple[str, list[str], list[str]]  # the file's hash, its import specs, the files they found


class Unparsable(Exception):
    """A module that does not parse: its imports are unknown."""


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_specs(path: str, data: bytes, roots: list[str]) -> list[str]:
    """What the module's imports may name: ``m:a.b.c`` (a, a.b and a.b.c, from any root) or ``r:<folder>:x.y``
    (relative to a folder); and ``m:`` its own name, for the packages above it."""
    try:
        tree = ast.parse(data, filename=path)
    except (SyntaxError, ValueError) as exc:
        raise Unparsable(f"{path} does not parse: {exc}") from None
    specs = {f"m:{name}" for name in _own_names(path, roots)}
    folder = os.path.dirname(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            specs.update(f"m:{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names if alias.name != "*"]
            if node.level == 0 and node.module:
                specs.update([f"m:{node.module}", *(f"m:{node.module}.{name}" for name in names)])
                continue
            base = folder
            for _ in range(node.level - 1):
                base = os.path.dirname(base)
            module = f"{node.module}." if node.module else ""
            specs.update([f"r:{base}:{node.module or ''}", *(f"r:{base}:{module}{name}" for name in names)])
    return sorted(specs)


def _own_names(path: str, roots: list[str]) -> Iterator[str]:
    for root in roots:
        if path.startswith(root + os.sep):
            parts = Path(path[len(root) + 1 :]).with_suffix("").parts
            parts = parts[:-1] if parts and parts[-1] == "__init__" else parts
            if parts and all(part.isidentifier() for part in parts):
                yield ".".join(parts)


def settled(folder: str) -> int | None:
    """A folder's modification time (None: there is none), or -1 if it may still move within its tick."""
    try:
        mtime = os.stat(folder).st_mtime_ns
    except OSError:
        return None
    return mtime if time.time_ns() - mtime > SETTLE * 1_000_000_000 else -1


def unchanged(listed: dict[str, int | None]) -> bool:
    """Whether every folder listed at the last clean run is as it was then (settled, same time)."""
    return all(mtime != -1 and settled(folder) == mtime for folder, mtime in listed.items())


class Finder:
    """The files an import spec finds, through folder listings read once a run. Each folder listed is kept
    in ``listed`` with its modification time, taken before the listing (-1 when under ``SETTLE`` seconds old:
    a file added within the same clock tick would not move it), so that a later run can tell every listing
    is as it was and take the files found from the record."""

    def __init__(self, roots: list[str]) -> None:
        self.roots = roots
        self.listed: dict[str, int | None] = {}
        self._listings: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._found: dict[str, tuple[str, ...]] = {}
        self._tops: set[str] = set()  # every name a root holds: most imports (the stdlib's, a package's) stop here
        for root in roots:
            files, folders = self._listing(root)
            self._tops |= folders | {name.rpartition(".")[0] for name in files}

    def _listing(self, folder: str) -> tuple[frozenset[str], frozenset[str]]:
        if folder not in self._listings:
            self.listed[folder] = settled(folder)
            files: set[str] = set()
            folders: set[str] = set()
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        (folders if entry.is_dir() else files).add(entry.name)
            except OSError:
                pass
            self._listings[folder] = (frozenset(files), frozenset(folders))
        return self._listings[folder]

    def _package(self, folder: str) -> Iterator[str]:
        files, _ = self._listing(folder)
        yield from (os.path.join(folder, name) for name in ("__init__.py", "__init__.pyi") if name in files)

    def _walk(self, folder: str, parts: list[str]) -> Iterator[str]:
        """The modules and packages a.b.c names under ``folder``: a, a.b and a.b.c (none: the folder's package)."""
        if not parts:
            yield from self._package(folder)
        for part in parts:
            files, folders = self._listing(folder)
            yield from (os.path.join(folder, part + suffix) for suffix in (".py", ".pyi") if part + suffix in files)
            if part not in folders:
                return
            folder = os.path.join(folder, part)
            yield from self._package(folder)

    def found(self, spec: str) -> tuple[str, ...]:
        if spec not in self._found:
            self._found[spec] = tuple(self._find(spec))
        return self._found[spec]

    def _find(self, spec: str) -> Iterator[str]:
        kind, _, rest = spec.partition(":")
        if kind == "r":
            folder, _, module = rest.rpartition(":")
            yield from self._walk(folder, module.split(".") if module else [])
            return
        parts = rest.split(".")
        for top in (parts[0], parts[0] + "-stubs"):
            if top in self._tops:
                for root in self.roots:
                    yield from self._walk(root, [top, *parts[1:]])


def module_graph(files: list[str], finder: Finder, known: dict[str, Node], *, listings_unchanged: bool) -> dict[str, Node]:
    """Every checked file and every first-party module reached from them, with their hashes and imports. A
    file whose hash is as recorded keeps its recorded imports, and, when no folder listed changed, the files
    they found."""
    graph: dict[str, Node] = {}
    stack = list(reversed(files))
    while stack:
        path = stack.pop()
        if path in graph:
            continue
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise Unparsable(f"{path}: {exc.strerror}") from None
        digest = file_hash(data)
        old = known.get(path)
        if old is not None and old[0] == digest and listings_unchanged:
            graph[path] = old
            stack.extend(old[2])
            continue
        specs = old[1] if old is not None and old[0] == digest else import_specs(path, data, finder.roots)
        found = sorted({file for spec in specs for file in finder.found(spec)} - {path})
        graph[path] = (digest, specs, found)
        stack.extend(found)
    return graph


def reached(graph: dict[str, Node], known: dict[str, Node], files: list[str]) -> list[str]:
    """The checked files that changed, or import (directly or through other modules, now or at the last
    clean run) a file that changed, appeared or went away."""
    changed = {path for path, node in graph.items() if path not in known or known[path][0] != node[0]}
    changed |= {path for path in known if path not in graph and not os.path.isfile(path)}
    importers: dict[str, set[str]] = {}
    for nodes in (known, graph):
        for path, (_, _, found) in nodes.items():
            for target in found:
                importers.setdefault(target, set()).add(path)
    seen, stack = set(changed), list(changed)
    while stack:
        for importer in importers.get(stack.pop(), ()):
            if importer not in seen:
                seen.add(importer)
                stack.append(importer)
    return [path for path in files if path in seen]
