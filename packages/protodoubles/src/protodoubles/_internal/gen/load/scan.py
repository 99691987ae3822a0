"""Answers about a module read from its text alone, without parsing it: where a name it imports comes
from, and whether a name is a plain TypeVar. Following ``pkg._client.Timeout`` to where ``Timeout`` is
defined would otherwise parse every module on the way (tens of thousands of lines for sqlalchemy).

Each answer is None when the text does not say clearly (a wildcard import, a name bound twice, a binding
inside a string); the caller then visits the module with griffe, as before."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple


@functools.lru_cache(maxsize=64)
def lined(text: str) -> str:
    """``text`` with a newline in front. A pattern that starts with a newline finds the start of a line by
    a fast search for that one character, where ``^`` under ``re.MULTILINE`` is tried at every position of
    the text (ten times slower on a long module). And a match's start in the lined text is the position in
    ``text`` of the line it matched: the newline in front shifts every position by one."""
    return "\n" + text


def line_search(pattern: str, text: str, flags: int = 0) -> re.Match[str] | None:
    """``re.search("^" + pattern, text, re.MULTILINE | flags)``, searched as the newline in front of the
    line (see ``lined``): the match is in ``lined(text)`` and its text starts with that newline."""
    return re.search("\n" + pattern, lined(text), re.MULTILINE | flags)


def line_starting(text: str, head: str, rest: re.Pattern[str]) -> re.Match[str] | None:
    """What ``line_search(re.escape(head) + rest.pattern, text, rest.flags)`` finds, without a pattern
    compiled for each ``head`` (a name: a new pattern costs more than the search): the first line that
    starts with ``head`` and goes on as ``rest``. The match is ``rest``'s, from right after the head, in
    ``lined(text)``; ``rest`` is compiled with re.MULTILINE, as ``line_search`` compiles."""
    whole = lined(text)
    start = whole.find("\n" + head)
    while start != -1:
        found = rest.match(whole, start + 1 + len(head))
        if found is not None:
            return found
        start = whole.find("\n" + head, start + 1)
    return None


def listed_in_all(text: str, name: str) -> bool:
    """Whether a line of ``text`` names ``name`` in quotes after ``__all__`` (as ``__all__ = ["name"]``):
    ``re.search(rf"__all__[^\n]*['\"]{re.escape(name)}['\"]", text)``, without a pattern for each name."""
    quoted = [f"{a}{name}{b}" for a in "'\"" for b in "'\""]
    return any(any(q in rest for q in quoted) for rest in _AFTER_ALL.findall(text))


_AFTER_ALL = re.compile(r"__all__([^\n]*)")  # the rest of the line after its first __all__


# on the lined text (see `lined`), as every pattern here that starts with a newline
_IMPORT_FROM = re.compile(r"\n[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)")
_PLAIN_IMPORT = re.compile(r"import[ \t]([^\n]*)")  # where the word starts a line: see _plain_imports


def _plain_imports(text: str) -> Iterator[str]:
    """What follows ``import`` on each line that starts with it (after spaces or tabs): what
    ``re.findall(r"\n[ \t]*import[ \t]([^\n]*)", lined(text))`` finds, faster, by a string search for the
    word (most modules hold it on a few lines, in their ``from`` lines and their text) where the pattern
    would be tried on every line."""
    position = 0
    while (start := text.find("import", position)) != -1:
        if text[text.rfind("\n", 0, start) + 1 : start].strip(" \t") or (match := _PLAIN_IMPORT.match(text, start)) is None:
            position = start + 1
            continue
        yield match[1]
        position = match.end()


class Binding(NamedTuple):
    """How a module binds a name: defined there (``source`` None) or imported from ``source``."""

    source: str | None
    explicit: bool = False  # `import X as X` or listed in __all__: mypy takes it as a re-export


def _absolute(module: str, is_package: bool, relative: str) -> str:
    dots = len(relative) - len(relative.lstrip("."))
    if not dots:
        return relative
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - dots + 1]
    rest = relative[dots:]
    return ".".join([*base, rest] if rest else base)


class _Index(NamedTuple):
    """What ``binding`` needs from one module text, read in one pass: the names it defines at the top
    level, its ``from ... import`` lines (module and names, as written), the words of its plain
    ``import`` lines."""

    defined: frozenset[str]
    imports_from: list[tuple[str, str]]
    plain_import_words: frozenset[str]
    classes: frozenset[str]  # defined by a top-level class or def, which an import inside a function does not rebind


# on the lined text (see `lined`), as every pattern here that starts with a newline; a word first
_DEFINED = re.compile(r"\n(?=\w)(?:(?:class|def|async def)[ \t]+(\w+)|(\w+)[ \t]*(?::|=(?!=)))")


@functools.lru_cache(maxsize=64)
def _index(text: str) -> _Index:
    whole = lined(text)
    found = _DEFINED.findall(whole)
    defined = frozenset(a or b for a, b in found)
    return _Index(defined, _IMPORT_FROM.findall(whole), _plain_import_words(text), frozenset(a for a, _ in found if a))


@functools.lru_cache(maxsize=64)
def _plain_import_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", "\n".join(_plain_imports(text))))


def binding(text: str, name: str, module: str, is_package: bool) -> Binding | None:
    """Where module ``module`` (source ``text``) gets ``name`` from, or None when that is not clear."""
    if not name.isidentifier():
        return _binding_by_search(text, name, module, is_package)
    if defines_class(text, name) and name not in _plain_import_words(text):
        return Binding(None)  # a class of the module, as the index says below, without reading the whole text
    index = _index(text)
    found = [_imported(module, is_package, relative, names, name) for relative, names in index.imports_from if name in names]
    if name in index.plain_import_words:
        return None
    if name in index.classes:
        return Binding(None)
    return _decide(text, name, name in index.defined, [b for bs in found for b in bs])


def _imported(module: str, is_package: bool, relative: str, names: str, name: str) -> list[Binding]:
    """The bindings of ``name`` that ``from relative import names`` makes in ``module``."""
    found: list[Binding] = []
    for listed in names.strip("()").replace("\\\n", " ").split(","):
        original, _, alias = listed.split("#", 1)[0].strip().partition(" as ")
        original, alias = original.strip(), alias.strip()
        if (alias or original) == name:
            found.append(Binding(f"{_absolute(module, is_package, relative)}.{original}", explicit=alias == original))
    return found


def _decide(text: str, name: str, defined: bool, found: list[Binding]) -> Binding | None:
    if defined and not found:
        return Binding(None)
    if len(found) != 1 or defined:
        return None  # nothing found (a wildcard import, perhaps), or bound more than once
    if not found[0].explicit and listed_in_all(text, name):
        return Binding(found[0].source, explicit=True)
    return found[0]


def _binding_by_search(text: str, name: str, module: str, is_package: bool) -> Binding | None:
    """``binding`` for a name that is not an identifier, searching the text for it."""
    escaped = re.escape(name)
    defined = line_search(rf"(?:(?:class|def|async def)[ \t]+{escaped}\b|{escaped}[ \t]*(?::|=(?!=)))", text)
    found: list[Binding] = []
    for match in _IMPORT_FROM.finditer(lined(text)):
        if name in match[2]:
            found += _imported(module, is_package, match[1], match[2], name)
    if line_search(rf"[ \t]*import[ \t][^\n]*\b{escaped}\b", text):
        return None
    return _decide(text, name, defined is not None, found)


def star_sources(text: str, name: str, module: str, is_package: bool) -> list[str] | None:
    """The modules ``from m import *`` lines of ``module`` name, when ``name`` can come from nowhere else in
    its text (not defined, imported by name or mentioned on a plain import line); None otherwise."""
    index = _index(text)
    if not name.isidentifier() or name in index.defined or name in _imported_names(text) or name in index.plain_import_words:
        return None
    found = [_absolute(module, is_package, relative) for relative, names in index.imports_from if names.strip() == "*"]
    return found or None


_ALL_CHANGED = re.compile(r"__all__[ \t]*(?:\+=|\.(?:extend|append)\b)|__all__[ \t]*=[^\n]*\+")


def star_exports(text: str, name: str, module: str, is_package: bool) -> bool | None:
    """Whether ``from module import *`` binds ``name`` (source ``text``): listed in a plain ``__all__``, or
    public and bound at the top level where there is none; None when the text does not say clearly (an
    ``__all__`` built up, a wildcard import of its own, a name bound twice)."""
    if "__all__" in text:
        if listed_in_all(text, name):
            return True
        if _ALL_CHANGED.search(text) or len(re.findall(r"^__all__\b", text, re.MULTILINE)) != 1:
            return None
        return False
    if name.startswith("_"):
        return False
    if star_sources(text, name, module, is_package):
        return None  # it may come through a wildcard import of the module's own
    return binding(text, name, module, is_package) is not None


@functools.lru_cache(maxsize=64)
def _imported_names(text: str) -> frozenset[str]:
    """Every name the module's ``from ... import`` statements bind or mention, read once per module text."""
    return frozenset(re.findall(r"\w+", " ".join(names for _, names in _index(text).imports_from)))


_WORD = re.compile(r"\w+")
_ASSIGNED = re.compile(r"[ \t]*(?::[^=\n]*)?=[ \t]*([^\n]*)", re.MULTILINE)  # after a word that starts a line: its value


@functools.lru_cache(maxsize=1024)
def type_var_call(text: str, name: str) -> str | None:
    """``TypeVar("_T", bound=Any)``: the call a module-level ``name = TypeVar(...)`` makes, when it
    fits on one line; the empty string when ``name`` is not assigned a TypeVar; None when unclear (imported)."""
    assigned = line_starting(text, name, _ASSIGNED) if _WORD.fullmatch(name) else None  # its first assignment
    if assigned is None:  # imported (``from tvmod import T as T``): the module it comes from says; else not a TypeVar
        if defines_class(text, name):
            return ""  # a class of the module (defined, so not imported), known without reading the whole text
        imported = name in _imported_names(text) and name not in _index(text).defined  # a class here is no TypeVar
        return None if imported else ""
    value = assigned[1].split("  #", 1)[0].strip()
    if re.match(r"(?:typing(?:_extensions)?\.)?(?:TypeVar|ParamSpec|TypeVarTuple)\(", value):
        return value  # unbalanced when the call goes on over more lines: a TypeVar still, not a plain one
    return ""


_CLASS_LINE = re.compile(r"\nclass[ \t]+(\w+)")
_CLASS_HEADER = re.compile(r"class[ \t]+\w+\b[ \t]*(\((?:[^()]|\([^()]*\))*\))?[ \t]*:")


@functools.lru_cache(maxsize=64)
def _class_starts(text: str) -> dict[str, list[int]]:
    """Where each top-level ``class`` statement of the text starts, by class name."""
    starts: dict[str, list[int]] = {}
    for match in _CLASS_LINE.finditer(lined(text)):
        starts.setdefault(match[1], []).append(match.start())
    return starts


def defines_class(text: str, name: str) -> bool:
    """Whether a top-level ``class name`` statement is in the text (``name`` an identifier): ``name in
    _class_starts(text)``, found by a string search for the usual spelling (one space after ``class``)
    instead of listing every class of a long module first."""
    whole = lined(text)
    head = "\nclass " + name
    start = whole.find(head)
    while start != -1:
        end = start + len(head)
        if end == len(whole) or not (whole[end].isalnum() or whole[end] == "_"):
            return True
        start = whole.find(head, start + 1)
    if "\nclass\t" in whole or "\nclass  " in whole:  # another spelling somewhere: list the classes
        return name in _class_starts(text)
    return False


def _starts(text: str, name: str) -> list[int]:
    if name.isidentifier():
        return _class_starts(text).get(name, [])
    return [m.start() for m in re.finditer(rf"\nclass[ \t]+{re.escape(name)}\b", lined(text))]


def class_bases(text: str, name: str) -> str | None:
    """The text between the parentheses of ``class name(...):`` (empty without them); None when the
    module does not define the class at the top level, or defines it more than once."""
    found = [header for start in _starts(text, name) if (header := _CLASS_HEADER.match(text, start))]
    if len(found) != 1:
        return None
    return re.sub(r"#[^\n]*", "", found[0][1] or "").strip("()")


def class_body(text: str, name: str) -> str | None:
    """The source of top-level ``class name`` up to the next top-level statement; None when the module
    does not define it exactly once."""
    starts = _starts(text, name)
    if len(starts) != 1:
        return None
    newline = text.find("\n", starts[0])  # the end of the class line: the body is on the lines after it
    end = _TOP_LEVEL.search(lined(text), newline + 1) if newline != -1 else None
    return text[starts[0] : end.start() if end else len(text)]


# A class statement up to the end of its first line: its end in the lined text is where its body starts in
# the text, as a line's start found by _TOP_LEVEL in the lined text is that line's start in the text.
_CLASS_START = re.compile(r"\nclass[ \t]+(\w+)\b[ \t]*(\((?:[^()]|\([^()]*\))*\))?[ \t]*:[^\n]*(?=\n)")
_TOP_LEVEL = re.compile(r"\n[^\s#)\]}]")
_ALIAS = re.compile(r"\n([A-Za-z_]\w*)[ \t]*=[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:#[^\n]*)?(?=\n|\Z)")  # `Async = Sync`


def kept_classes(target: str, bases: Mapping[str, Iterable[str]]) -> set[str]:
    """``target`` and the classes of its own module that it derives from, directly or not (``bases``: each
    top-level class's base names; names of other modules are not keys and are passed over)."""
    keep: set[str] = set()
    pending = [target]
    while pending:
        name = pending.pop()
        if name not in keep and name in bases:
            keep.add(name)
            pending += bases[name]
    return keep


def focus_text(text: str, target: str) -> str | None:
    """``text`` with the body of every top-level class but ``target``, its same-module bases (also through
    names assigned a class, ``Async = Sync``) and the
    classes that may be descriptors or protocols replaced by ``...``, line numbers kept; None when the
    target is not a top-level class of the text. Parsing a large module then costs what its target does."""
    spans: dict[str, tuple[int, int, str]] = {}  # name -> (body start, body end, header), positions in text
    whole = lined(text)
    for match in _CLASS_START.finditer(whole):
        following = _TOP_LEVEL.search(whole, match.end())
        spans[match[1]] = (match.end(), following.start() if following else len(text), match[2] or "")
    if target not in spans:
        return None
    aliases = {match[1]: [match[2].rsplit(".", 1)[-1]] for match in _ALIAS.finditer(whole)}
    keep = kept_classes(target, {**aliases, **{name: re.findall(r"\w+", header) for name, (_, _, header) in spans.items()}})
    out: list[str] = []
    position = 0
    for name, (start, end, header) in sorted(spans.items(), key=lambda item: item[1][0]):
        body = text[start:end]
        if name in keep or "__get__" in body or "Protocol" in header:
            continue
        out += [text[position:start], "    ...\n", "\n" * (body.count("\n") - 1) if body.count("\n") else ""]
        position = end
    out.append(text[position:])
    return "".join(out)
