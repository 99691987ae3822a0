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

import hashlib
import json
import os
from collections.abc import Collection, Iterable
from pathlib import Path

CACHE = ".protodoubles_cache"
FILE = "gen_protocol_fresh.json"
_IGNORE_ALL = "# Created by protodoubles: this folder is a cache.\n*\n"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by protodoubles.\n"
_GENERATOR = Path(__file__).resolve().parent.parent  # the generator's code, every stage


def _hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _mtime(folder: str) -> int | None:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


def _generator() -> str:
    digest = hashlib.sha256()
    for path in sorted(_GENERATOR.rglob("*.py")):
        digest.update(path.relative_to(_GENERATOR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(output: Path, files: Iterable[Path | str], folders: Iterable[str]) -> dict[str, object]:
    return {
        "output": _hash(output),
        "generator": _generator(),
        "files": {str(path): _hash(Path(path)) for path in sorted(map(str, files))},
        "folders": {folder: _mtime(folder) for folder in sorted(set(folders))},
    }


def _load(root: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads((root / CACHE / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


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
    folder = root / CACHE
    temp = folder / f".{FILE}.{os.getpid()}.tmp"
    try:
        _make_cache(folder)
        temp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temp, folder / FILE)
    except OSError:
        temp.unlink(missing_ok=True)


def _make_cache(folder: Path) -> None:
    """The cache folder, with a ``.gitignore`` that ignores everything in it and a CACHEDIR.TAG."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise NotADirectoryError(str(folder))  # not ours: the record is not kept
    folder.mkdir(exist_ok=True)
    for name, text in ((".gitignore", _IGNORE_ALL), ("CACHEDIR.TAG", _TAG)):
        if not (folder / name).exists():
            (folder / name).write_text(text, encoding="utf-8")
