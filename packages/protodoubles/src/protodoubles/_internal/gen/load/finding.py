"""Which file a type checker reads for a module: the standard library's from the typeshed stubs mypy
bundles; elsewhere a stub before a source, a package folder before a module file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path

from protodoubles._internal.errors import SourceError


def typeshed() -> tuple[Path, frozenset[str]]:
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


def module_file(folder: str, parts: Sequence[str], entries: AbstractSet[str], *, stubs_only: bool = False) -> Path | None:
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
