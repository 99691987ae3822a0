"""The tools' cache folder, ``.protodoubles_cache`` beside pyproject.toml: freshness records kept as JSON.

The folder ignores itself (a ``.gitignore`` of ``*`` inside it, as ``.pytest_cache`` does, so a project
needs no line for it) and carries a CACHEDIR.TAG. A record that cannot be read is no record; one that
cannot be written is not kept: a cache never fails a run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

CACHE = ".protodoubles_cache"
_IGNORE_ALL = "# Created by protodoubles: this folder is a cache.\n*\n"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by protodoubles.\n"


def file_hash(path: Path | str) -> str | None:
    """The SHA-256 of a file's bytes; None when there is no file to read."""
    import hashlib  # only the runs that keep freshness records hash files

    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def load(root: Path, name: str) -> dict[str, object]:
    """The JSON object kept under ``name``; empty when missing, unreadable or not an object."""
    try:
        data = json.loads((root / CACHE / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(root: Path, name: str, data: dict[str, object]) -> None:
    """Replace the record ``name`` at once (a reader sees the old one or the new one, never half)."""
    folder = root / CACHE
    temp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        _make(folder)
        temp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temp, folder / name)
    except (OSError, TypeError, ValueError):  # TypeError: a value JSON has no form for (a TOML date)
        temp.unlink(missing_ok=True)


def _make(folder: Path) -> None:
    """The cache folder, with a ``.gitignore`` that ignores everything in it and a CACHEDIR.TAG."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise NotADirectoryError(str(folder))  # not ours: the record is not kept
    folder.mkdir(exist_ok=True)
    for name, text in ((".gitignore", _IGNORE_ALL), ("CACHEDIR.TAG", _TAG)):
        if not (folder / name).exists():
            (folder / name).write_text(text, encoding="utf-8")
