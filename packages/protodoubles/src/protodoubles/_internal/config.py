"""The tools' configuration in pyproject.toml, ``[tool.gen_protocol]`` and ``[tool.annotate_fixtures]``, read
and checked in one place.

```toml
[tool.gen_protocol]
command = "gen-protocol"        # optional: what generated headers and stale reports say to run
search_path = ["src"]           # optional: folders to find the project's modules in, before sys.path

[[tool.gen_protocol.targets]]
source = "shop.cart:Cart"       # package.module:Class or path/to/file.py:Class
output = "tests/cart_protocol.py"
name = "CartProtocol"           # optional; default <Class>Protocol
include_private = false         # optional
follow = ["items"]              # optional: a protocol family along these attribute paths
```

Without ``search_path``, a ``src/`` layout is found from mypy's ``mypy_path``, the build configuration
(setuptools, hatch, poetry), or a ``src`` folder that holds packages. Every value of the wrong type is a
``ConfigError`` naming the key; an unknown key is one too, so that a misspelt setting is not silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from protodoubles._internal import cache
from protodoubles._internal.errors import ConfigError

DEFAULT_COMMAND = "gen-protocol"
_TOP_KEYS = frozenset({"targets", "command", "search_path"})
_TARGET_KEYS = frozenset({"source", "output", "name", "include_private", "follow"})


@dataclass(frozen=True)
class Options:
    """One protocol to generate: the options of a configured target or of a command-line run."""

    source: str
    output: Path | None = None  # None: standard output
    name: str | None = None  # None: <Class>Protocol
    include_private: bool = False
    follow: tuple[str, ...] = ()  # dotted attribute paths: a protocol family
    regenerate: str = DEFAULT_COMMAND  # the command a generated header names

    @property
    def protocol_name(self) -> str:
        return self.name or self.source.rpartition(":")[2].split(".")[-1] + "Protocol"


class Project(NamedTuple):
    """A project's generator settings: where its modules are found and what it generates."""

    root: Path
    search_path: tuple[Path, ...]
    command: str
    targets: tuple[Options, ...]


def read_project(root: Path) -> Project:
    """The settings of the project at ``root``; defaults where it has no pyproject.toml or no section."""
    data = _pyproject(root)
    section = _tool_section(data, "gen_protocol", _TOP_KEYS, root)
    command = _string(section.get("command", DEFAULT_COMMAND), "tool.gen_protocol.command", root)
    paths = _strings(section.get("search_path"), "tool.gen_protocol.search_path", root)
    folders = tuple(root / p for p in paths) if paths is not None else detected_search_path(root, data)
    raw_targets = section.get("targets", [])
    if not isinstance(raw_targets, list):
        raise _wrong(root, "tool.gen_protocol.targets", "an array of tables ([[tool.gen_protocol.targets]])", raw_targets)
    targets = tuple(_target(entry, index, root, command) for index, entry in enumerate(raw_targets))
    return Project(root, folders, command, targets)


def annotate_excludes(root: Path) -> list[Path]:
    """The folders ``[tool.annotate_fixtures] exclude = [...]`` keeps the fixture annotator out of."""
    section = _tool_section(_pyproject(root), "annotate_fixtures", frozenset({"exclude"}), root)
    folders = _strings(section.get("exclude"), "tool.annotate_fixtures.exclude", root) or ()
    return [(root / folder).resolve() for folder in folders]


def _tool_section(data: dict[str, Any], name: str, allowed: frozenset[str], root: Path) -> dict[str, Any]:
    """``[tool.<name>]`` of the project's pyproject.toml, checked to be a table holding only ``allowed`` keys."""
    tool = _table(data.get("tool", {}), "tool", root)
    return _keys(_table(tool.get(name, {}), f"tool.{name}", root), allowed, f"[tool.{name}]", root)


def _keys(table: dict[str, Any], allowed: frozenset[str], where: str, root: Path) -> dict[str, Any]:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"{root / 'pyproject.toml'}: unknown key(s) in {where}: {', '.join(unknown)}")
    return table


# The tables this module reads. Each run keeps them, with the text they were read from, in the project's
# cache folder (protodoubles._internal.cache); a run that finds the same text there takes them from the record
# instead of loading the TOML parser and parsing the file (about 9 ms, a twentieth of a generator run).
_READ_TABLES = ("gen_protocol", "annotate_fixtures", "mypy", "setuptools", "hatch", "poetry")
_RECORD = "pyproject.json"
_RECORD_SCHEMA = 1  # raised when _READ_TABLES or the record's shape changes


def _pyproject(root: Path) -> dict[str, Any]:
    """The tables of ``root``'s pyproject.toml this module reads (``{"tool": {...}}``); empty without one."""
    path = root / "pyproject.toml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    record = cache.load(root, _RECORD)
    if record.get("schema") == _RECORD_SCHEMA and record.get("text") == text and isinstance(data := record.get("data"), dict):
        return data
    import tomllib  # not at import time: ``import protodoubles`` reads no configuration

    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    tool = parsed.get("tool")
    if not isinstance(tool, dict):
        return parsed  # not a table: the caller says so, every run
    kept = {"tool": {name: tool[name] for name in _READ_TABLES if name in tool}}
    cache.save(root, _RECORD, {"schema": _RECORD_SCHEMA, "text": text, "data": kept})
    return kept


def _target(entry: object, index: int, root: Path, command: str) -> Options:
    where = f"tool.gen_protocol.targets[{index}]"
    table = _keys(_table(entry, where, root), _TARGET_KEYS, where, root)
    for key in ("source", "output"):
        if key not in table:
            raise ConfigError(f"{root / 'pyproject.toml'}: {where} needs '{key}'")
    source = _string(table["source"], f"{where}.source", root)
    output = _string(table["output"], f"{where}.output", root)
    name = table.get("name")
    if name is not None and not (isinstance(name, str) and name.isidentifier()):
        raise _wrong(root, f"{where}.name", "a class name (an identifier string)", name)
    private = table.get("include_private", False)
    if not isinstance(private, bool):
        raise _wrong(root, f"{where}.include_private", "true or false", private)
    follow = _strings(table.get("follow"), f"{where}.follow", root) or ()
    return Options(source, root / output, name, private, follow, command)


def _table(value: object, key: str, root: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _wrong(root, key, "a table", value)
    return value


def _string(value: object, key: str, root: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _wrong(root, key, "a non-empty string", value)
    return value


def _strings(value: object, key: str, root: Path) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise _wrong(root, key, "a list of non-empty strings", value)
    return tuple(value)


def _wrong(root: Path, key: str, expected: str, value: object) -> ConfigError:
    shown = repr(value) if len(repr(value)) <= 60 else type(value).__name__
    return ConfigError(f"{root / 'pyproject.toml'}: {key} must be {expected}, not {shown}")


def detected_search_path(root: Path, data: dict[str, Any]) -> tuple[Path, ...]:
    """The folders a project's own modules live in when it does not say: mypy's ``mypy_path``, then the
    build configuration's source folder, then a ``src`` folder of packages; empty for a flat layout."""
    for folders in (_mypy_path(root, data), _build_folders(data)):
        found = tuple(root / f for f in folders if (root / f).is_dir())
        if found:
            return found
    src = root / "src"
    if src.is_dir() and not (src / "__init__.py").is_file():
        return (src,)
    return ()


def _at(data: object, *keys: str) -> object:
    """``data[k1][k2]...``, or None where a level is missing or not a table."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _path_list(text: str) -> list[str]:
    """mypy's ``mypy_path`` as text: folders split on ``:`` or ``,``; ones naming variables are passed over."""
    return [p.strip() for p in text.replace(",", ":").split(":") if p.strip() and "$" not in p]


def _mypy_path(root: Path, data: dict[str, Any]) -> list[str]:
    value = _at(data, "tool", "mypy", "mypy_path")
    if isinstance(value, str):
        return _path_list(value)
    if isinstance(value, list):
        return [p for p in value if isinstance(p, str) and "$" not in p]
    for name in ("mypy.ini", ".mypy.ini", "setup.cfg"):
        try:
            text = (root / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "mypy_path" not in text.lower():  # no such option (names are not case-sensitive): configparser not loaded
            continue
        import configparser  # a project that keeps mypy's settings in an ini file only

        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text, source=str(root / name))
        except configparser.Error:
            continue
        if parser.has_option("mypy", "mypy_path"):
            return _path_list(parser.get("mypy", "mypy_path"))
    return []


def _build_folders(data: dict[str, Any]) -> list[str]:
    package_dir = _at(data, "tool", "setuptools", "package-dir", "")
    if isinstance(package_dir, str):
        return [package_dir]
    where = _at(data, "tool", "setuptools", "packages", "find", "where")
    if isinstance(where, list) and all(isinstance(w, str) for w in where) and where != ["."]:
        return list(where)
    packages = _at(data, "tool", "hatch", "build", "targets", "wheel", "packages")
    if isinstance(packages, list):
        return sorted({str(Path(p).parent) for p in packages if isinstance(p, str) and Path(p).parent != Path(".")})
    poetry = _at(data, "tool", "poetry", "packages")
    if isinstance(poetry, list):
        return sorted({p["from"] for p in poetry if isinstance(p, dict) and isinstance(p.get("from"), str)})
    return []
