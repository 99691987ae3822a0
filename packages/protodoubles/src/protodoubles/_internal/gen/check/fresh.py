"""What ``--check`` may skip: a protocol is known fresh when nothing it was generated from has changed.

After a run writes a protocol, or ``--check`` finds it fresh, the run records in
``.protodoubles_cache/gen_protocol_fresh.json`` beside pyproject.toml (a folder that ignores itself, as
``.pytest_cache`` does, so it needs no ``.gitignore`` line) a hash of the output, of every
source file the generator read (the class's modules, the modules its annotations name, typeshed stubs),
of the generator's own code, and the modification times of the folders on the search path (a package
installed or removed changes them). A later ``--check`` whose record still matches on every count skips
that target; any difference, or no record, and the target is generated and compared as usual.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Collection, Iterable
from pathlib import Path

from protodoubles._internal import cache
from protodoubles._internal.cache import CACHE

__all__ = ["CACHE", "FILE", "fingerprint", "known_fresh", "remember"]

FILE = "gen_protocol_fresh.json"
_GENERATOR = Path(__file__).resolve().parent.parent  # the generator's code, every stage


def _mtime(folder: str) -> int | None:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


@functools.cache  # once a process: the generator's code does not change under a run
def _generator() -> str:
    digest = hashlib.sha256()
    for path in sorted(_GENERATOR.rglob("*.py")):
        digest.update(path.relative_to(_GENERATOR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(output: Path, files: Iterable[Path | str], folders: Iterable[str]) -> dict[str, object]:
    return {
        "output": cache.file_hash(output),
        "generator": _generator(),
        "files": {str(path): cache.file_hash(path) for path in sorted(map(str, files))},
        "folders": {folder: _mtime(folder) for folder in sorted(set(folders))},
    }


def _load(root: Path) -> dict[str, object]:
    return cache.load(root, FILE)


def known_fresh(root: Path, key: str) -> bool:
    """Whether the record for ``key`` matches the output, the sources, the generator and the search path."""
    record = _load(root).get(key)
    if not isinstance(record, dict):
        return False
    files, folders = record.get("files"), record.get("folders")
    if not isinstance(files, dict) or not isinstance(folders, dict) or record.get("output") is None:
        return False
    output = record.get("output_path")
    return isinstance(output, str) and record == {**fingerprint(Path(output), files, folders), "output_path": output}


def remember(root: Path, key: str, output: Path, files: Iterable[Path | str], folders: Iterable[str], configured: Collection[str]) -> None:
    """Record ``output`` as fresh for its inputs, keeping only the records of the ``configured`` targets (so
    the file never grows past the project's own targets); a cache that cannot be written is not kept."""
    data = {name: record for name, record in _load(root).items() if name in configured}
    data[key] = {**fingerprint(output, files, folders), "output_path": str(output)}
    cache.save(root, FILE, data)
