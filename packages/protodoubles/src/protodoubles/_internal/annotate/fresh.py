"""What ``annotate-fixtures`` may skip: a file is known clean (no annotation missing, none that differs from
its fixture's type, nothing reported) when nothing its planning looked at has changed.

When a run plans a file and finds it clean, it records in ``.protodoubles_cache/annotate_fresh.json`` (see
protodoubles._internal.cache) the hash of everything the planning could have read, each taken before the
planning read it: the file; the ``conftest.py`` and ``__init__.py`` of its folder and of each folder up to
the root, and of the package chain above (present or absent: a conftest added later is a change); and every
module file the run looked a fixture's type up in, present or absent, hashed from the bytes it read. The
lookups of a run serve all its files, so each file's record holds all of them. The records are kept under
a key of the annotator's own code, griffe's files, the Python version and the module search path: any of
those changed, and every file is planned again (the records of the last ``KEYS`` keys are kept: a run from
another interpreter, with another search path, finds its own). A file whose record matches on every count
is not read.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from protodoubles._internal import cache

FILE = "annotate_fresh.json"
KEYS = 3  # the records of this many keys are kept, the latest first: the gate's run and pytest's in-process ones
_CODE = Path(__file__).resolve().parent.parent  # protodoubles/_internal: the annotator and what it reads with

Hashes = dict[str, str | None]  # path -> SHA-256 of its bytes, None where no file was


def search_paths(root: Path) -> list[Path]:
    """Where a fixture's type is looked up (protodoubles._internal.annotate.reader.Library): the project
    root, then every folder on sys.path."""
    return [root, *(Path(p) for p in sys.path if p and Path(p).is_dir())]


@functools.cache  # once a process: the code does not change under a run
def _code() -> str:
    digest = hashlib.sha256()
    for path in sorted(_CODE.rglob("*.py")):
        digest.update(path.relative_to(_CODE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _griffe() -> list[object]:
    """Where griffe is installed, and the size and time of each of its files: an upgrade changes them."""
    spec = importlib.util.find_spec("griffe")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    found: list[object] = [*folders]
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.py")):
            info = path.stat()
            found.append([str(path), info.st_size, info.st_mtime_ns])
    return found


def run_key(root: Path) -> str:
    """What every record depends on besides the files: the annotator, griffe, Python and the search path."""
    parts = [_code(), _griffe(), sys.version, str(root), [str(p) for p in search_paths(root)]]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def watched(file: Path, root: Path) -> list[Path]:
    """The files whose presence or text decides how ``file`` is planned, its fixtures' modules aside: the file,
    and the conftest.py and __init__.py of every folder protodoubles._internal.annotate.resolve.Resolver.scopes
    walks through, then the ``__init__.py`` files of the package chain above them (the module name)."""
    found = [file]
    folder = file.parent
    while True:
        found += [folder / "conftest.py", folder / "__init__.py"]
        if folder in (root, folder.parent) or root not in folder.parents:
            break
        folder = folder.parent
    while (folder / "__init__.py").is_file() and folder != folder.parent:
        folder = folder.parent
        found.append(folder / "__init__.py")
    return found


class Records:
    """The clean files of earlier runs, checked against the files as they are now (each hashed once a run)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.key = run_key(root)
        keys = cache.load(root, FILE).get("keys")
        self._kept: list[object] = [r for r in keys if isinstance(r, dict) and r.get("key") != self.key] if isinstance(keys, list) else []
        mine = [r for r in keys if isinstance(r, dict) and r.get("key") == self.key] if isinstance(keys, list) else []
        files = mine[0].get("files") if mine else None
        self._records: dict[str, object] = dict(files) if isinstance(files, dict) else {}
        self._now: Hashes = {}
        self._given: set[str] = set()

    def _hash(self, path: str) -> str | None:
        if path not in self._now:
            self._now[path] = cache.file_hash(path)
        return self._now[path]

    def clean(self, file: Path) -> bool:
        """Whether ``file`` was found clean with every file it depends on as it is now."""
        record = self._records.get(str(file))
        if not isinstance(record, dict) or str(file) not in record:
            return False
        return all(isinstance(path, str) and self._hash(path) == value for path, value in record.items())

    def observe(self, file: Path) -> Hashes:
        """The hashes of ``file``'s watched files: taken before planning reads them, so that an edit made while
        the run reads them shows as a change next time."""
        return {str(path): self._hash(str(path)) for path in watched(file, self.root)}

    def remember(self, file: Path, observed: Hashes, looked_up: Mapping[str, str | None]) -> None:
        self._records[str(file)] = {**observed, **looked_up}
        self._given.add(str(file))

    def save(self, planned: Iterable[Path]) -> None:
        """Write the records: a file planned this run keeps a record only if it was just found clean, and the
        records of files that are gone are dropped."""
        dropped = {str(file) for file in planned} - self._given
        kept = {name: record for name, record in self._records.items() if name not in dropped and os.path.isfile(name)}
        latest = [{"key": self.key, "files": kept}, *self._kept][:KEYS]
        cache.save(self.root, FILE, {"keys": latest})
