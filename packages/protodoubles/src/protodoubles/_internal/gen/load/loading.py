"""Loading modules on demand, from the file a type checker would read.

griffe's ``load("pkg")`` visits every module of a package (about 3,200 for ``anthropic``). A protocol
needs only the class's module, its bases' modules and the modules its annotations name, so each module
is visited when first asked for, and only that module (its parent packages' ``__init__`` included).

Which file: the one mypy and pyright read. For the standard library, the typeshed stubs bundled with
mypy (a dependency); otherwise, on each search path, an installed ``<pkg>-stubs``
package first, then the package itself, where a ``.pyi`` beside a ``.py`` wins.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path

import griffe

from protodoubles._internal.errors import SourceError
from protodoubles._internal.gen.load import scan
from protodoubles._internal.gen.load.branches import TypeCheckerBranches


def _typeshed() -> tuple[Path, frozenset[str]]:
    """The standard library's stubs and the top-level module names they cover: the copy of typeshed that
    mypy (a dependency of protodoubles) bundles, found beside the generator's own interpreter, so that the
    protocol matches what mypy checks it against. A newer or older typeshed would write signatures the
    checker's own stubs disagree with (``deque.insert`` taking ``SupportsIndex`` where mypy's says ``int``)."""
    import importlib.util

    spec = importlib.util.find_spec("mypy")
    folder = Path(spec.origin).parent / "typeshed" / "stdlib" if spec is not None and spec.origin else None
    versions = folder / "VERSIONS" if folder is not None else None
    if folder is None or versions is None or not versions.is_file():
        raise SourceError("the standard library's stubs were not found: mypy, a dependency of protodoubles, is not installed")
    names = set()
    for raw in versions.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" in line:
            names.add(line.split(":", 1)[0].strip().split(".")[0])
    return folder, frozenset(names)


def _module_file(folder: str, parts: Sequence[str], entries: AbstractSet[str], *, stubs_only: bool = False) -> Path | None:
    """``folder/a/b.pyi``, ``folder/a/b/__init__.pyi``, then the ``.py`` forms. ``entries``, the names in
    ``folder``, rule out a folder without ``a`` before any file is looked for (most search paths)."""
    head = parts[0]
    suffixes = (".pyi",) if stubs_only else (".pyi", ".py")
    if head not in entries and (len(parts) > 1 or not any(head + suffix in entries for suffix in suffixes)):
        return None
    base = os.path.join(folder, *parts)
    for suffix in suffixes:
        for candidate in (os.path.join(base, "__init__" + suffix), base + suffix):
            if os.path.isfile(candidate):
                return Path(candidate)
    return None


def _syntax_message(path: Path, exc: SyntaxError) -> str:
    hint = ""
    line = (exc.text or "").strip()
    if sys.version_info < (3, 12) and re.match(r"(class|def|async def)\s+\w+\s*\[|type\s+\w+", line):
        hint = " (PEP 695 type parameters need Python 3.12 or later)"
    return f"{path}:{exc.lineno}: syntax error: {exc.msg}{hint}"


class ModuleLoader:
    """A griffe modules collection filled lazily, module by module."""

    def __init__(self, search_paths: Sequence[str], extensions: Sequence[griffe.Extension] = ()) -> None:
        self.search_paths = [str(p) for p in search_paths]
        self.branches = TypeCheckerBranches()
        # griffe.load_extensions would add griffe's dataclasses extension, whose one hook (on_package) a visit never calls
        self.extensions = griffe.Extensions(self.branches, *extensions)
        self.collection = griffe.ModulesCollection()
        self.lines = griffe.LinesCollection()
        self.typeshed, self.stdlib = _typeshed()
        self._missing: set[str] = set()
        self._loading: set[str] = set()
        self._texts: dict[str, tuple[str, bool] | None] = {}
        self._located: dict[str, Path | None] = {}
        self._listings: dict[str, frozenset[str]] = {}
        self._paths: dict[int, tuple[griffe.ExprName, str]] = {}  # by id, the name kept alive: its id is never reused

    # ----- finding files ----------------------------------------------------------------------------

    def locate(self, dotted: str) -> Path | None:
        """The file a type checker reads for module ``dotted``, or None."""
        if dotted not in self._located:
            self._located[dotted] = self._find(dotted.split("."))
        return self._located[dotted]

    def _find(self, parts: list[str]) -> Path | None:
        if parts[0] in self.stdlib:
            typeshed = str(self.typeshed)
            found = _module_file(typeshed, parts, self._entries(typeshed), stubs_only=True)
            if found is not None:
                return found
        stub_parts = [f"{parts[0]}-stubs", *parts[1:]]
        for folder in self.search_paths:
            found = _module_file(folder, stub_parts, self._entries(folder), stubs_only=True)
            if found is not None:
                return found
        for folder in self.search_paths:
            found = _module_file(folder, parts, self._entries(folder))
            if found is not None:
                return found
        return None

    def _entries(self, folder: str) -> frozenset[str]:
        """The names in a search folder, listed once per run."""
        known = self._listings.get(folder)
        if known is None:
            try:
                known = frozenset(os.listdir(folder))
            except OSError:
                known = frozenset()
            self._listings[folder] = known
        return known

    # ----- loading ----------------------------------------------------------------------------------

    def focus_on(self, module: str, class_name: str) -> None:
        """Visit only what class ``class_name`` needs of module ``module`` (see ``branches.focus``)."""
        path = self.locate(module)
        self.branches.target = (str(path), class_name) if path is not None else None

    def module(self, dotted: str) -> griffe.Module | None:
        """Module ``dotted``, visited now if it was not yet (with its parent packages); None if absent."""
        parts = dotted.split(".")
        parent: griffe.Module | None = None
        for depth in range(1, len(parts) + 1):
            name = ".".join(parts[:depth])
            known = self._known(name)
            if known is None:
                if name in self._missing:
                    return None
                known = self._visit(name, parent)
                if known is None:
                    self._missing.add(name)
                    return None
            parent = known
        return parent

    def loaded(self, dotted: str) -> griffe.Module | None:
        """Module ``dotted`` if griffe has visited it already."""
        return self._known(dotted)

    def _known(self, dotted: str) -> griffe.Module | None:
        head, _, rest = dotted.partition(".")
        found: object = self.collection.members.get(head)
        for part in rest.split(".") if rest else ():
            if not isinstance(found, griffe.Module):
                return None
            found = found.members.get(part)
        return found if isinstance(found, griffe.Module) else None

    def _visit(self, dotted: str, parent: griffe.Module | None) -> griffe.Module | None:
        path = self.locate(dotted)
        if path is None:
            return self._namespace(dotted, parent)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SourceError(f"{path}: cannot read: {exc.strerror}") from None
        if b"\0" in raw:
            raise SourceError(f"{path}: contains NUL bytes; not a Python source file")
        try:
            code = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceError(f"{path}: not UTF-8 text (byte {exc.start}); not a Python source file") from None
        self.lines[path] = code.splitlines()
        name = dotted.rpartition(".")[2]
        focused = scan.focus_text(code, self.branches.target[1]) if self.branches.target and str(path) == self.branches.target[0] else None
        self._loading.add(dotted)
        try:
            module = self._griffe_visit(name, path, focused or code, parent)
        except SyntaxError as exc:
            if focused is not None:  # report the error as the whole text has it
                try:
                    module = self._griffe_visit(name, path, code, parent)
                except SyntaxError as whole:
                    raise SourceError(_syntax_message(path, whole)) from None
            else:
                raise SourceError(_syntax_message(path, exc)) from None
        except (RecursionError, MemoryError):  # the parser's own limits: an expression nested thousands deep
            raise SourceError(f"{path}: nested too deeply for Python's parser; not read") from None
        finally:
            self._loading.discard(dotted)
        if parent is None:
            self.collection.set_member(name, module)
        else:
            parent.set_member(name, module)
        self._expand_wildcards(module)
        return module

    def _namespace(self, dotted: str, parent: griffe.Module | None) -> griffe.Module | None:
        """A PEP 420 namespace package (folders of that name, no ``__init__``): an empty module, for its
        submodules to be visited under; None when no search folder has it."""
        parts = dotted.split(".")
        found = [os.path.join(folder, *parts) for folder in self.search_paths if parts[0] in self._entries(folder)]
        folders = [Path(path) for path in found if os.path.isdir(path)]
        if not folders:
            return None
        module = griffe.Module(parts[-1], filepath=folders, parent=parent, lines_collection=self.lines, modules_collection=self.collection)
        if parent is None:
            self.collection.set_member(parts[-1], module)
        else:
            parent.set_member(parts[-1], module)
        return module

    def _griffe_visit(self, name: str, path: Path, code: str, parent: griffe.Module | None) -> griffe.Module:
        with griffe.logger.disable():  # errors are reported by the generator, in one line
            return griffe.visit(
                name,
                filepath=path,
                code=code,
                extensions=self.extensions,
                parent=parent,
                lines_collection=self.lines,
                modules_collection=self.collection,
            )

    def _expand_wildcards(self, module: griffe.Module) -> None:
        """``from .queues import *``: load the module named, then let griffe copy its names."""
        targets = [m.wildcard for m in module.members.values() if isinstance(m, griffe.Alias) and m.wildcard]
        if not targets:
            return
        for target in targets:
            if target not in self._loading:
                self.module(target)
        loader = griffe.GriffeLoader(modules_collection=self.collection, lines_collection=self.lines)
        try:
            with griffe.logger.disable():
                loader.expand_wildcards(module, external=False)
        except (griffe.AliasResolutionError, griffe.CyclicAliasError, KeyError):
            pass  # names behind a wildcard that cannot be expanded stay unknown, as for any unresolved name

    # ----- resolving names --------------------------------------------------------------------------

    def path_of(self, name: griffe.ExprName) -> str:
        """``name.canonical_path``, read once a run: griffe resolves it through the scopes around the name
        (function, class, module) each time it is read, and a run reads the same names many times."""
        found = self._paths.get(id(name))
        if found is None:
            found = self._paths[id(name)] = (name, name.canonical_path)
        return found[1]

    def get(self, path: str) -> griffe.Object | griffe.Alias | None:
        """The object at a dotted path, loading the longest module prefix of it; aliases not followed."""
        parts = path.split(".")
        module: griffe.Module | None = None
        depth = 0
        for depth in range(len(parts), 0, -1):
            module = self._known(".".join(parts[:depth])) or self.module(".".join(parts[:depth]))
            if module is not None:
                break
        if module is None:
            return None
        found: griffe.Object | griffe.Alias = module
        for part in parts[depth:]:
            if isinstance(found, griffe.Alias):
                target = self.resolve(found.target_path)
                if target is None:
                    return None
                found = target
            member = found.members.get(part)
            if member is None:
                return None
            found = member
        return found

    def resolve(self, path: str) -> griffe.Object | None:
        """The object a dotted path finally names, following re-exports across modules."""
        seen: set[str] = set()
        found = self.get(path)
        while isinstance(found, griffe.Alias):
            if found.target_path in seen:
                return None
            seen.add(found.target_path)
            found = self.get(found.target_path)
        return found

    def final_path(self, path: str) -> str:
        """Where a re-exported name is defined: ``pkg.Client`` -> ``pkg._client.Client``. Modules not yet
        visited are read as text (see ``scan``); griffe visits one only when the text is unclear."""
        seen: set[str] = set()
        while path not in seen:
            seen.add(path)
            module = path.rpartition(".")[0]
            if module.split(".")[0] in self.stdlib and not any(p.startswith("_") for p in module.split(".")):
                return path  # a public standard library module: import from there, as typeshed documents it
            step = self._scan_step(path)
            if step is None:
                step = self._visit_step(path)
            if step is None or step == path:
                return path
            path = step
        return path

    def text_path(self, path: str) -> str:
        """Where a re-exported name is defined, as far as the modules' texts say (no module is visited)."""
        seen: set[str] = set()
        while path not in seen:
            seen.add(path)
            step = self._scan_step(path)
            if step is None or step == path:
                return path
            path = step
        return path

    def _scan_step(self, path: str) -> str | None:
        """The next path in a re-export chain, read from the module's text; ``path`` itself when it is
        the definition; None when the text does not say."""
        module, _, name = path.rpartition(".")
        if not module or self._known(module) is not None:
            return None
        source = self.text(module)
        if source is None:
            return None
        text, is_package = source
        found = scan.binding(text, name, module, is_package)
        if found is None:
            return None
        if found.source is None:
            return path
        if not self._readable(found.source):
            return path  # `try: from ._speedups import X`: a compiled module has no source to read
        return found.source

    def _visit_step(self, path: str) -> str | None:
        found = self.get(path)
        if not isinstance(found, griffe.Alias):
            return path
        if not self._readable(found.target_path):
            return path  # a compiled module: stop at the last readable one
        return found.target_path

    def _readable(self, path: str) -> bool:
        """Whether the module that ``path`` names a member of (or ``path`` itself) has a source to read."""
        module = path.rpartition(".")[0]
        return any(self._known(m) is not None or self.locate(m) is not None for m in (module, path) if m)

    def text(self, module: str) -> tuple[str, bool] | None:
        """The source a type checker reads for ``module`` and whether it is a package ``__init__``."""
        if module not in self._texts:
            path = self.locate(module)
            try:
                self._texts[module] = (path.read_text(encoding="utf-8-sig"), path.stem == "__init__") if path else None
            except (OSError, UnicodeDecodeError):
                self._texts[module] = None
        return self._texts[module]
