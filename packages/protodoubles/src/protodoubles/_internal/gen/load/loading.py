"""Loading modules on demand, from the file a type checker would read.

griffe's ``load("pkg")`` visits every module of a package (about 3,200 for ``anthropic``). A protocol
needs only the class's module, its bases' modules and the modules its annotations name, so each module
is visited when first asked for, and only that module.

Some modules are read in part first, and whole when a lookup needs more (``ModuleLoader.get``):
- a parent package (``pkg`` of ``pkg.sub``) is an empty module until one of its own names is looked up:
  its ``__init__`` may import hundreds of names, none of them a name for its submodules (griffe looks there);
- the module of the target class, or of a descriptor class an annotation names, is visited with the other
  classes' bodies cut (``scan.focus_text``, ``branches.focus``: a class that may be a descriptor or a
  protocol keeps its annotations and descriptor methods, what an annotation that names it is read for),
  until a member of a cut class is looked up by its path.

Which file: the one mypy and pyright read. For the standard library, the typeshed stubs bundled with
mypy (a dependency); otherwise, on each search path, an installed ``<pkg>-stubs``
package first, then the package itself, where a ``.pyi`` beside a ``.py`` wins.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import griffe

from protodoubles._internal.errors import SourceError, syntax_message
from protodoubles._internal.gen.load import scan
from protodoubles._internal.gen.load.branches import TypeCheckerBranches
from protodoubles._internal.gen.load.finding import module_file, typeshed


class ModuleLoader:
    """A griffe modules collection filled lazily, module by module."""

    def __init__(self, search_paths: Sequence[str], extensions: Sequence[griffe.Extension] = (), *, focus: bool = True) -> None:
        self.search_paths = [str(p) for p in search_paths]
        self.focus = focus  # False: every module is visited whole (a protocol family follows into any class)
        self.branches = TypeCheckerBranches()
        # griffe.load_extensions would add griffe's dataclasses extension, whose one hook (on_package) a visit never calls
        self.extensions = griffe.Extensions(self.branches, *extensions)
        self.collection = griffe.ModulesCollection()
        self.lines = griffe.LinesCollection()
        self.typeshed, self.stdlib = typeshed()
        self._missing: set[str] = set()
        self._loading: set[str] = set()
        self._texts: dict[str, tuple[str, bool] | None] = {}
        self._located: dict[str, Path | None] = {}
        self._listings: dict[str, frozenset[str]] = {}
        self._paths: dict[int, tuple[griffe.ExprName, str]] = {}  # by id, the name kept alive: its id is never reused
        self._partial: dict[str, frozenset[str] | None] = {}  # module read in part -> classes cut (None: a package not read)

    # ----- finding files ----------------------------------------------------------------------------

    def locate(self, dotted: str) -> Path | None:
        """The file a type checker reads for module ``dotted``, or None."""
        if dotted not in self._located:
            self._located[dotted] = self._find(dotted.split("."))
        return self._located[dotted]

    def _find(self, parts: list[str]) -> Path | None:
        if parts[0] in self.stdlib:
            typeshed = str(self.typeshed)
            found = module_file(typeshed, parts, self._entries(typeshed), stubs_only=True)
            if found is not None:
                return found
        stub_parts = [f"{parts[0]}-stubs", *parts[1:]]
        for folder in self.search_paths:
            found = module_file(folder, stub_parts, self._entries(folder), stubs_only=True)
            if found is not None:
                return found
        for folder in self.search_paths:
            found = module_file(folder, parts, self._entries(folder))
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
        """Visit only what class ``class_name`` needs of module ``module`` (see ``branches.focus``) when the
        module is first visited; nothing when it is visited already."""
        path = self.locate(module) if self.focus else None
        if path is not None and self.loaded(module) is None:
            self.branches.targets.setdefault(str(path), class_name)

    def module(self, dotted: str) -> griffe.Module | None:
        """Module ``dotted``, visited now if it was not yet (its parent packages only as empty modules to
        hold it, see the module docstring); None if absent."""
        parts = dotted.split(".")
        parent: griffe.Module | None = None
        for depth in range(1, len(parts) + 1):
            name = ".".join(parts[:depth])
            known = self._known(name)
            if known is None:
                if name in self._missing:
                    return None
                known = self._visit(name, parent) if depth == len(parts) else self._package(name, parent)
                if known is None:
                    self._missing.add(name)
                    return None
            parent = known
        if parent is not None and self._partial.get(dotted, ()) is None:  # a package not read yet
            parent = self._complete(parent)
        return parent

    def loaded(self, dotted: str) -> griffe.Module | None:
        """Module ``dotted`` if griffe has visited it already (a package not read yet is not)."""
        found = self._known(dotted)
        return None if found is None or self._partial.get(dotted, ()) is None else found

    def _known(self, dotted: str) -> griffe.Module | None:
        head, _, rest = dotted.partition(".")
        found: object = self.collection.members.get(head)
        for part in rest.split(".") if rest else ():
            if not isinstance(found, griffe.Module):
                return None
            found = found.members.get(part)
        return found if isinstance(found, griffe.Module) else None

    def _visit(
        self, dotted: str, parent: griffe.Module | None, *, replacing: griffe.Module | None = None, in_full: bool = False
    ) -> griffe.Module | None:
        """Visit module ``dotted`` (``in_full``: not focused); ``replacing``, the module read in part before,
        passes it the submodules visited meanwhile."""
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
        if in_full:
            self.branches.targets.pop(str(path), None)
        target = self.branches.targets.get(str(path))
        focused = scan.focus_text(code, target) if target else None
        self._loading.add(dotted)
        try:
            module = self._griffe_visit(name, path, focused or code, parent)
        except SyntaxError as exc:
            if focused is not None:  # report the error as the whole text has it
                try:
                    module = self._griffe_visit(name, path, code, parent)
                except SyntaxError as whole:
                    raise SourceError(syntax_message(path, whole)) from None
            else:
                raise SourceError(syntax_message(path, exc)) from None
        except (RecursionError, MemoryError):  # the parser's own limits: an expression nested thousands deep
            raise SourceError(f"{path}: nested too deeply for Python's parser; not read") from None
        finally:
            self._loading.discard(dotted)
        cut = self.branches.cut.pop(str(path), None)
        if cut:
            self._partial[dotted] = cut
        self._attach(module, parent)
        for child in replacing.members.values() if replacing is not None else ():
            if isinstance(child, griffe.Module):
                module.set_member(child.name, child)
        self._expand_wildcards(module)
        return module

    def _attach(self, module: griffe.Module, parent: griffe.Module | None) -> None:
        if parent is None:
            self.collection.set_member(module.name, module)
        else:
            parent.set_member(module.name, module)

    def _package(self, dotted: str, parent: griffe.Module | None) -> griffe.Module | None:
        """Package ``dotted`` as the parent of a module asked for: an empty module, its ``__init__`` read
        when one of its names is looked up (``_complete``)."""
        path = self.locate(dotted)
        if path is None or path.stem != "__init__":
            return self._visit(dotted, parent)  # a namespace package, or a module file where a package was expected
        module = griffe.Module(
            dotted.rpartition(".")[2], filepath=path, parent=parent, lines_collection=self.lines, modules_collection=self.collection
        )
        self._attach(module, parent)
        self._partial[dotted] = None
        return module

    def _complete(self, module: griffe.Module) -> griffe.Module:
        """A module read in part, now read whole; it takes the place of the part in the tree."""
        dotted = module.path
        focused = self._partial.pop(dotted) is not None
        parent = module.parent if isinstance(module.parent, griffe.Module) else None
        return self._visit(dotted, parent, replacing=module, in_full=focused) or module

    def whole_class(self, cls: griffe.Class) -> griffe.Class:
        """``cls`` with its body: its module read whole if a focus cut it (the class read whole given)."""
        module = cls.parent
        if not isinstance(module, griffe.Module):
            return cls
        current = self._known(module.path)
        cut = self._partial.get(module.path, frozenset())
        if current is not None and cut and cls.name in cut:
            current = self._complete(current)
        found = current.members.get(cls.name) if current is not None else None
        return found if isinstance(found, griffe.Class) else cls

    def _needs_whole(self, module: griffe.Module, names: list[str]) -> bool:
        """Whether looking up ``names`` (``Client.send``) in ``module`` needs what reading it in part left
        out: any name of a package not read; a member of a class whose body was cut."""
        cut = self._partial.get(module.path, frozenset())
        return cut is None or (len(names) > 1 and names[0] in cut)

    def _namespace(self, dotted: str, parent: griffe.Module | None) -> griffe.Module | None:
        """A PEP 420 namespace package (folders of that name, no ``__init__``): an empty module, for its
        submodules to be visited under; None when no search folder has it."""
        parts = dotted.split(".")
        found = [os.path.join(folder, *parts) for folder in self.search_paths if parts[0] in self._entries(folder)]
        folders = [Path(path) for path in found if os.path.isdir(path)]
        if not folders:
            return None
        module = griffe.Module(parts[-1], filepath=folders, parent=parent, lines_collection=self.lines, modules_collection=self.collection)
        self._attach(module, parent)
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
            module = self.module(".".join(parts[:depth]))
            if module is not None:
                break
        if module is None:
            return None
        if depth < len(parts) and self._needs_whole(module, parts[depth:]):
            module = self._complete(module)
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
        if not module or self.loaded(module) is not None:
            return None
        source = self.text(module)
        if source is None:
            return None
        text, is_package = source
        found = scan.binding(text, name, module, is_package)
        if found is None:
            return self._star_step(text, name, module, is_package)
        if found.source is None:
            return path
        if not self._readable(found.source):
            return path  # `try: from ._speedups import X`: a compiled module has no source to read
        return found.source

    def _star_step(self, text: str, name: str, module: str, is_package: bool) -> str | None:
        """``name`` bound in ``module`` only by ``from .x import *`` lines (httpx's ``__init__``): the one
        module of theirs whose text says it exports the name; None when that is not clear."""
        sources = scan.star_sources(text, name, module, is_package)
        exporting: list[str] = []
        for source in sources or ():
            found = self.text(source)
            exports = scan.star_exports(found[0], name, source, found[1]) if found is not None else None
            if exports is None:
                return None
            if exports:
                exporting.append(source)
        return f"{exporting[0]}.{name}" if len(exporting) == 1 and self._readable(f"{exporting[0]}.{name}") else None

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

    def read_files(self) -> list[Path]:
        """Every file the run read, visited or scanned as text (a freshness record hashes each of them)."""
        scanned = {path for module, text in self._texts.items() if text is not None and (path := self.locate(module))}
        return sorted({Path(p) for p in self.lines.keys()} | scanned)  # noqa: SIM118  # a LinesCollection is not iterable

    def text(self, module: str) -> tuple[str, bool] | None:
        """The source a type checker reads for ``module`` and whether it is a package ``__init__``."""
        if module not in self._texts:
            path = self.locate(module)
            try:
                self._texts[module] = (path.read_text(encoding="utf-8-sig"), path.stem == "__init__") if path else None
            except (OSError, UnicodeDecodeError):
                self._texts[module] = None
        return self._texts[module]
