"""Every bad value in [tool.gen_protocol] is one line and exit 2, naming the key; never a traceback."""

from __future__ import annotations

import pytest
from _support import Project, Ran, configure, one_line_error
from protodoubles._internal.annotate.cli import main as annotate_main

TARGET = '[[tool.gen_protocol.targets]]\nsource = "shop.cart:Cart"\noutput = "tests/cart_protocol.py"\n'


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (TARGET + "name = 5\n", "targets[0].name"),
        (TARGET + 'name = "not a name"\n', "targets[0].name"),
        (TARGET + 'include_private = "yes"\n', "targets[0].include_private"),
        (TARGET + 'follow = "items"\n', "targets[0].follow"),
        (TARGET + "sorce = 1\n", "sorce"),
        ('[[tool.gen_protocol.targets]]\nsource = "shop.cart:Cart"\n', "needs 'output'"),
        ('[[tool.gen_protocol.targets]]\nsource = 3\noutput = "x.py"\n', "targets[0].source"),
        ("[tool.gen_protocol]\ntargets = 1\n", "tool.gen_protocol.targets"),
        ('[tool.gen_protocol]\nsearch_path = "src"\n', "tool.gen_protocol.search_path"),
        ("[tool.gen_protocol]\ncommand = 2\n", "tool.gen_protocol.command"),
        ('[tool]\ngen_protocol = "x"\n', "tool.gen_protocol must be a table"),
        ("[tool.gen_protocol]\nunknown = 1\n", "unknown key(s) in [tool.gen_protocol]: unknown"),
    ],
)
def test_a_bad_configuration_value_is_one_line(project: Project, text: str, named: str) -> None:
    configure(project, text)
    one_line_error(project.gen(), "pyproject.toml", named)


def test_a_top_level_tool_that_is_not_a_table_is_one_line(project: Project) -> None:
    project.write("pyproject.toml", 'tool = 1\n[project]\nname = "shop"\n')
    one_line_error(project.gen(), "tool must be a table")


def test_malformed_toml_is_one_line(project: Project) -> None:
    configure(project, "[tool.gen_protocol\n")
    one_line_error(project.gen(), "pyproject.toml")


def test_the_check_fails_the_same_way(project: Project) -> None:
    configure(project, TARGET + 'include_private = "yes"\n')
    one_line_error(project.gen("--check"), "include_private")


def test_a_source_nested_too_deeply_for_the_parser_is_one_line(project: Project) -> None:
    project.write("src/shop/deep.py", "class Deep:\n    x = " + "-" * 200_000 + "1\n")
    one_line_error(project.gen("shop.deep:Deep"), "deep.py", "nested too deeply")


def test_a_good_configuration_is_taken(project: Project) -> None:
    configure(project, TARGET + 'name = "CartProtocol"\ninclude_private = false\nfollow = []\n')
    ran = project.gen()
    assert ran.code == 0, ran.err
    assert "class CartProtocol(Protocol):" in (project.root / "tests" / "cart_protocol.py").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[tool.annotate_fixtures]\nexclude = "tests/legacy"\n', "tool.annotate_fixtures.exclude must be a list"),
        ('[tool]\nannotate_fixtures = ["x"]\n', "tool.annotate_fixtures must be a table"),
        ('[tool.annotate_fixtures]\nexlude = ["tests/legacy"]\n', "unknown key(s) in [tool.annotate_fixtures]: exlude"),
    ],
)
def test_annotate_fixtures_refuses_a_bad_configuration_in_one_line(
    project: Project, capsys: pytest.CaptureFixture[str], text: str, named: str
) -> None:
    configure(project, text)
    project.write("tests/test_cart.py", "def test_one(tmp_path):\n    assert tmp_path\n")
    capsys.readouterr()
    code = annotate_main(["--check", "tests"])
    out, err = capsys.readouterr()
    one_line_error(Ran(code, out, err), "pyproject.toml", named)


def test_annotate_fixtures_refuses_a_top_level_tool_that_is_not_a_table(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("pyproject.toml", 'tool = 1\n[project]\nname = "shop"\n')
    project.write("tests/test_cart.py", "def test_one(tmp_path):\n    assert tmp_path\n")
    capsys.readouterr()
    code = annotate_main(["--check", "tests"])
    out, err = capsys.readouterr()
    one_line_error(Ran(code, out, err), "tool must be a table")


def test_the_tables_read_are_kept_for_the_same_text_only(project: Project) -> None:
    """A pyproject.toml read once is read from .protodoubles_cache/pyproject.json while its text is the same
    (a record edited by hand shows which was read); a changed text is parsed again; a bad one is never kept."""
    from protodoubles._internal import cache
    from protodoubles._internal.config import read_project

    text = '[tool.gen_protocol]\ncommand = "first"\n[project]\nname = "shop"\n'
    project.write("pyproject.toml", text)
    assert read_project(project.root).command == "first"
    record = cache.load(project.root, "pyproject.json")
    assert record["text"] == text and record["data"] == {"tool": {"gen_protocol": {"command": "first"}}}
    cache.save(project.root, "pyproject.json", {**record, "data": {"tool": {"gen_protocol": {"command": "from the record"}}}})
    assert read_project(project.root).command == "from the record"
    project.write("pyproject.toml", text.replace("first", "second"))
    assert read_project(project.root).command == "second"
    project.write("pyproject.toml", "[tool.gen_protocol\n")
    one_line_error(project.gen(), "pyproject.toml")
    assert cache.load(project.root, "pyproject.json")["text"] == text.replace("first", "second")
