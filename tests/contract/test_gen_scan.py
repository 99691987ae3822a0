"""protodoubles._internal.gen.load.scan.binding answers from a per-text index: the same answers as searching the text for
each name, on hand-written edge cases and on the SDK modules the generator reads."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from protodoubles._internal.gen.load import scan

EDGES = """\
from .a import (Foo, Qux as Qux,
    Bar as Baz,  # comment
)
from ..b import Twice
from c import Twice
import os.path, Plain
class Defined(Base):
    x = 1
async def coroutine(): ...
value: int = 3
equal == 4
Both = 1
from d import Both
__all__ = ["Foo"]
foo_bar = 2
"""
NAMES = [
    "Foo",
    "Bar",
    "Baz",
    "Qux",
    "Twice",
    "Plain",
    "path",
    "os",
    "Defined",
    "coroutine",
    "value",
    "equal",
    "Both",
    "foo",
    "x",
    "Missing",
]


def test_edge_cases_match_the_search() -> None:
    for name in NAMES:
        assert scan.binding(EDGES, name, "pkg.mod", False) == scan._binding_by_search(EDGES, name, "pkg.mod", False), name


def test_edge_case_answers() -> None:
    assert scan.binding(EDGES, "Foo", "pkg.mod", False) == scan.Binding("pkg.a.Foo", explicit=True)  # in __all__
    assert scan.binding(EDGES, "Baz", "pkg.mod", False) == scan.Binding("pkg.a.Bar")
    assert scan.binding(EDGES, "Qux", "pkg.mod", False) == scan.Binding("pkg.a.Qux", explicit=True)
    assert scan.binding(EDGES, "Defined", "pkg.mod", False) == scan.Binding(None)
    assert scan.binding(EDGES, "value", "pkg.mod", False) == scan.Binding(None)
    for unclear in ("Twice", "Both", "Plain", "equal", "foo", "Missing"):
        assert scan.binding(EDGES, unclear, "pkg.mod", False) is None, unclear


def _text_and_names(module: str) -> tuple[str, list[str]]:
    """An installed module's source and every word in it that could be a name."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    text = Path(spec.origin).read_text(encoding="utf-8")
    return text, sorted(set(re.findall(r"\b[A-Za-z_]\w*\b", text)))


@pytest.mark.parametrize("module", ["openai", "openai._client", "anthropic._client", "anthropic._base_client"])
def test_sdk_modules_match_the_search(module: str) -> None:
    text, names = _text_and_names(module)
    assert len(names) > 100
    spec = importlib.util.find_spec(module)
    is_package = spec is not None and spec.submodule_search_locations is not None
    for name in names:
        assert scan.binding(text, name, module, is_package) == scan._binding_by_search(text, name, module, is_package), name


CLASSES = """\
class Plain: ...
class Based(Base, Generic[T],  # a comment
        metaclass=Meta):
    x = 1

    def method(self) -> None: ...
class Twice: ...
class Twice(Other): ...
class Based2(dict[str, int]):
    pass
value = 1
"""


def test_class_bases_and_bodies() -> None:
    assert scan.class_bases(CLASSES, "Plain") == ""
    assert scan.class_bases(CLASSES, "Based") == "Base, Generic[T],  \n        metaclass=Meta"
    assert scan.class_bases(CLASSES, "Based2") == "dict[str, int]"
    assert scan.class_body(CLASSES, "Based") == CLASSES[CLASSES.index("class Based(") : CLASSES.index("class Twice")]
    assert scan.class_body(CLASSES, "Based2") == "class Based2(dict[str, int]):\n    pass\n"
    for unclear in ("Twice", "Base", "value", "Bas", "Missing"):  # twice, not defined, a prefix, not a class
        assert scan.class_bases(CLASSES, unclear) is None, unclear
        assert scan.class_body(CLASSES, unclear) is None, unclear


LINES = "first = 1\nclass A: pass\nclass B(A):\n    x = 2\nlast = 3"


@pytest.mark.parametrize("pattern", [r"first\b", r"class (\w+)", r"last = (\d)", r"(\w+) = (\d)", r"\s+x", r"[ \t]*x = 2\n", r"missing"])
def test_line_search_is_a_search_from_line_starts(pattern: str) -> None:
    """The newline in front of a line stands where that line starts in the text: same match, same groups."""
    found = scan.line_search(pattern, LINES)
    expected = re.search("^" + pattern, LINES, re.MULTILINE)
    assert (found is None) == (expected is None)
    if found is not None and expected is not None:
        assert found.groups() == expected.groups()
        assert found[0] == "\n" + expected[0]
        assert found.start() == expected.start()


def test_focus_keeps_lines_at_the_first_and_last_line() -> None:
    text = "class Other:\n    a = 1\n    b = 2\nclass Base:\n    x = 1\nclass Target(Base):\n    y = 2"
    focused = scan.focus_text(text, "Target")
    assert focused == "class Other:\n    ...\n\nclass Base:\n    x = 1\nclass Target(Base):\n    y = 2"
    assert scan.class_body(text, "Target") == "class Target(Base):\n    y = 2"
    assert scan.class_body(text, "Other") == "class Other:\n    a = 1\n    b = 2\n"


@pytest.mark.parametrize("module", ["openai._client", "anthropic._base_client", "sqlalchemy.orm.session"])
def test_searches_for_a_name_match_a_pattern_per_name(module: str) -> None:
    """line_starting and listed_in_all find what a pattern compiled for each name finds, on every name of a module."""
    text, names = _text_and_names(module)
    rest = re.compile(r"\b[ \t]*(?::[^=\n]*)?=[ \t]*([^\n]*)", re.MULTILINE)
    found = 0
    for name in names:
        expected = scan.line_search(re.escape(name) + rest.pattern, text)
        match = scan.line_starting(text, name, rest)
        assert (match and (match.groups(), match.end())) == (expected and (expected.groups(), expected.end())), name
        found += match is not None
        assert scan.listed_in_all(text, name) == bool(re.search(rf"__all__[^\n]*['\"]{re.escape(name)}['\"]", text)), name
    assert found > 2


def test_names_in_all_with_any_quotes() -> None:
    text = "__all__ = ['a', \"b\"]  # 'c'\n__all__ += ['d\"]\nx = ['e']\n'f'"
    assert [n for n in "abcdef" if scan.listed_in_all(text, n)] == ["a", "b", "c", "d"]


SPELLINGS = "class Spaced  (Base): ...\nclass\tTabbed: ...\nclass Plain: ...\nclass PlainLonger: ...\n    class Nested: ...\n"


@pytest.mark.parametrize("module", ["openai._client", "anthropic._base_client", "sqlalchemy.orm.session", "sqlalchemy.sql.selectable"])
def test_defines_class_is_a_search_for_the_class_statement(module: str) -> None:
    """defines_class (a string search) answers as the list of the module's class statements does."""
    text, names = _text_and_names(module)
    assert [n for n in names if scan.defines_class(text, n)] == sorted(n for n in scan._class_starts(text) if n in names)


def test_defines_class_with_other_spellings() -> None:
    found = [n for n in ("Spaced", "Tabbed", "Plain", "PlainLonger", "Plai", "Nested", "Base") if scan.defines_class(SPELLINGS, n)]
    assert found == ["Spaced", "Tabbed", "Plain", "PlainLonger"]
    assert scan.defines_class("class First: ...\n", "First")  # on the text's first line
