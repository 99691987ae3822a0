#!/usr/bin/env python3
"""ty over the files it checks (``[tool.ty.src]``), after a change checking again only what the change reaches.

A run that ends clean records, in .gates_cache/ty_clean.json, every file ty checks and every first-party
module they import (directly or through each other): its hash, its imports, and the files those imports
found. Next to them it records what every result also depends on: ty (its binary), pyproject.toml, ty.toml,
the ignore files ty honours, the environment variables that point ty at an environment or configuration,
and each site-packages folder (its time: a package installed or removed changes it) with its .pth files.
The next run, with that second part unchanged, finds what changed: a file edited, added or removed, or a
module that appeared where an import looks (a file added anywhere on the import paths). It then runs
``ty check`` on the checked files that are changed or import a changed file, directly or through other
modules; every other checked file was clean and nothing it can see has changed. Anything else (no record,
the second part changed, a setting of ty's that this script does not follow, a module that does not parse)
and it runs ``ty check`` over everything, as CI does. Only a clean run is recorded, so a failing file is
checked again next time. Hashes and imports are taken before ty runs: an edit made while ty reads the files
shows as a change next time. Not seen: a hand edit of a file inside site-packages.

    python tools/ty_gate.py [--ty PATH] [--full]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

from import_graph import Finder, Node, Unparsable, file_hash, module_graph, reached, unchanged

RECORD = Path(".gates_cache") / "ty_clean.json"
_GLOB = frozenset("*?[]{}!")
_IGNORE_FILES = (".gitignore", ".ignore")
_ENVIRONMENT_KEYS = frozenset({"python", "python-version", "python-platform"})
_VARIABLES = ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONPATH", "XDG_CONFIG_HOME", "HOME")  # and every TY_*


class CheckAll(Exception):
    """A setting or a file this script does not follow: ty checks everything."""


def _hash_of(path: Path) -> str | None:
    try:
        return file_hash(path.read_bytes())
    except OSError:
        return None


def _paths(value: object, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) and not _GLOB & set(p) for p in value):
        raise CheckAll(f"[tool.ty.src] {key} is not a list of plain paths")
    return [p.strip("/").removeprefix("./") for p in value]


def scope(root: Path) -> tuple[list[str], list[str]]:
    """The paths ty checks and those it leaves out, relative to the root, as ``[tool.ty.src]`` says; a
    setting this script does not follow (a ty.toml, overrides, another environment, extra search paths)
    is a CheckAll."""
    if (root / "ty.toml").exists():
        raise CheckAll("ty.toml is not read here")
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CheckAll(f"pyproject.toml: {exc}") from None
    settings = data.get("tool", {}).get("ty", {})
    src, environment = settings.get("src", {}), settings.get("environment", {})
    if not isinstance(src, dict) or not isinstance(environment, dict) or set(settings) - {"src", "environment", "rules", "terminal"}:
        raise CheckAll("[tool.ty] holds a section this script does not follow")
    if set(src) - {"include", "exclude"} or set(environment) - _ENVIRONMENT_KEYS:
        raise CheckAll("[tool.ty.src] or [tool.ty.environment] holds a key this script does not follow")
    if environment.get("python", ".venv") not in (".venv", "./.venv"):
        raise CheckAll("[tool.ty.environment] python is not the project's .venv")
    return _paths(src.get("include", ["."]), "include"), _paths(src.get("exclude", []), "exclude")


def _under(relative: str, prefixes: Iterable[str]) -> bool:
    return any(p in ("", ".") or relative == p or relative.startswith(p + "/") for p in prefixes)


def checked_files(root: Path, include: list[str], exclude: list[str], ignores: list[Path]) -> list[str]:
    """Every .py and .pyi file in scope (hidden folders skipped, as ty skips them); ignore files found on
    the way are added to ``ignores``."""
    found: list[str] = []
    for start in include:
        top = root / start
        if top.is_file():
            found += [str(top)] if not _under(start, exclude) else []
            continue
        for folder, folders, files in os.walk(top):
            relative = Path(folder).relative_to(root).as_posix()
            if _under(relative, exclude):
                folders.clear()
                continue
            folders[:] = sorted(f for f in folders if not f.startswith(".") and f != "__pycache__")
            ignores += [Path(folder) / name for name in _IGNORE_FILES if name in files]
            found += [os.path.join(folder, f) for f in sorted(files) if f.endswith((".py", ".pyi"))]
    return sorted(set(found))


def site_packages(root: Path) -> list[Path]:
    """The site-packages folders of the environments ty may use: the project's .venv, an activated one, and
    the one running this script."""
    prefixes = [root / ".venv", Path(sys.prefix), *(Path(os.environ[k]) for k in ("VIRTUAL_ENV", "CONDA_PREFIX") if os.environ.get(k))]
    return sorted({folder for prefix in prefixes for folder in prefix.glob("lib/python*/site-packages") if folder.is_dir()})


def search_roots(root: Path, sites: list[Path]) -> list[str]:
    """Where first-party modules are found: the root, ``src`` and ``python`` under it (ty looks there when
    they exist), PYTHONPATH, and the folders named by .pth files (editable installs)."""
    found = [root, root / "src", root / "python", *(Path(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p)]
    for site in sites:
        for pth in sorted(site.glob("*.pth")):
            for line in pth.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.strip() and not line.startswith(("#", "import ")) and Path(line.strip()).is_dir():
                    found.append(Path(line.strip()))
    return list(dict.fromkeys(str(p.resolve()) for p in found))


def _config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def _git_excludes(root: Path) -> list[Path]:
    git = root / ".git"
    if git.is_file():  # a worktree: "gitdir: <its folder>", whose commondir holds info/exclude
        git = Path(git.read_text(encoding="utf-8").partition("gitdir:")[2].strip())
        common = git / "commondir"
        git = (git / common.read_text(encoding="utf-8").strip()).resolve() if common.is_file() else git
    return [git / "info" / "exclude", _config_home() / "git" / "ignore"]


def environment(root: Path, ty: Path, sites: list[Path], ignores: list[Path]) -> str:
    """What every file's result depends on besides the project's modules, as one hash."""
    info = ty.stat()
    parts: list[object] = [str(ty), info.st_size, info.st_mtime_ns, str(root)]
    configuration = [root / "pyproject.toml", _config_home() / "ty" / "ty.toml", root / ".gitignore", root / ".ignore"]
    parts += [[str(path), _hash_of(path)] for path in [*configuration, *_git_excludes(root), *ignores]]
    parts.append(sorted((k, v) for k, v in os.environ.items() if k in _VARIABLES or k.startswith("TY_")))
    for site in sites:
        parts.append([str(site), site.stat().st_mtime_ns, [[p.name, _hash_of(p)] for p in sorted(site.glob("*.pth"))]])
    return file_hash(repr(parts).encode())


class Record:
    """The last clean run: its environment hash, its module graph and the folders its imports were found in."""

    def __init__(self, environment: str | None, graph: dict[str, Node], listed: dict[str, int | None]) -> None:
        self.environment, self.graph, self.listed = environment, graph, listed

    @classmethod
    def load(cls, root: Path) -> Record:
        try:
            data = json.loads((root / RECORD).read_text(encoding="utf-8"))
            graph = {path: (str(h), list(map(str, specs)), list(map(str, found))) for path, (h, specs, found) in data["files"].items()}
            listed = {str(folder): None if mtime is None else int(mtime) for folder, mtime in data["listed"].items()}
            return cls(str(data["environment"]), graph, listed)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(None, {}, {})

    def save(self, root: Path) -> None:
        """Replace the record at once; a record that cannot be written is not kept."""
        folder = root / RECORD.parent
        temp = folder / f".{RECORD.name}.{os.getpid()}.tmp"
        data = {"environment": self.environment, "files": self.graph, "listed": self.listed}
        try:
            folder.mkdir(exist_ok=True)
            temp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(temp, root / RECORD)
        except OSError:
            temp.unlink(missing_ok=True)


def _ty(ty: Path, paths: list[str]) -> int:
    import subprocess  # only a run that checks something needs it

    return subprocess.run([str(ty), "check", "--no-progress", *paths], check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ty", default=".venv/bin/ty", help="the ty binary (default: .venv/bin/ty)")
    parser.add_argument("--full", action="store_true", help="check everything, whatever the record says")
    args = parser.parse_args(argv)
    root, ty = Path.cwd().resolve(), Path(args.ty).resolve()
    try:
        include, exclude = scope(root)
        ignores: list[Path] = []
        files = checked_files(root, include, exclude, ignores)
        sites = site_packages(root)
        finder = Finder(search_roots(root, sites))
        environment_hash = environment(root, ty, sites, ignores)
        last = Record.load(root)
        same = last.environment == environment_hash and not args.full
        trusted = same and unchanged(last.listed)
        graph = module_graph(files, finder, last.graph if same else {}, listings_unchanged=trusted)
    except (CheckAll, Unparsable) as reason:
        print(f"ty_gate: checking every file ({reason})", flush=True)
        return _ty(ty, [])
    if not same:
        why = "--full" if args.full else "no record of a clean run in this configuration"
        print(f"ty_gate: checking every file ({why})", flush=True)
        code = _ty(ty, [])
    else:
        stale = reached(graph, last.graph, files)
        if not stale:
            if not trusted:  # the same files, found through folders listed again: keep the settled listings
                Record(environment_hash, graph, finder.listed).save(root)
            print(f"ty_gate: {len(files)} file(s) unchanged since ty last found them clean")
            return 0
        print(f"ty_gate: checking {len(stale)} of {len(files)} file(s): the others import nothing that changed", flush=True)
        code = _ty(ty, stale)
    if code == 0:
        Record(environment_hash, graph, {**(last.listed if trusted else {}), **finder.listed}).save(root)
    return code


if __name__ == "__main__":
    sys.exit(main())
