"""annotate-fixtures on a realistic untyped suite (tests/contract/bad_cases/untyped_suite), copied to a tmp dir."""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from mypy import api as mypy_api
from protodoubles._internal.annotate.cli import main as annotate_main

from tests.contract.conftest import ROOT

SUITE = ROOT / "tests" / "contract" / "bad_cases" / "untyped_suite"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "suite"
    shutil.copytree(SUITE, copy)
    monkeypatch.chdir(copy)
    return copy


def annotate(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    capsys.readouterr()
    code = annotate_main(list(args))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*.py"))}


def mypy_report(folder: Path, cache: Path) -> list[str]:
    """``file:line`` of every error mypy (default options, as most projects run it) reports in ``folder``.
    mypy cannot follow an editable install's import hook: the caller puts the project on MYPYPATH."""
    out, err, _ = mypy_api.run(["--no-error-summary", "--config-file", "", "--cache-dir", str(cache), str(folder / "tests")])
    assert err == "", err
    return [line.split(": error:")[0] for line in out.splitlines() if ": error:" in line]


def planted(folder: Path) -> list[str]:
    found = []
    for path in sorted((folder / "tests").rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.endswith("# PLANTED"):
                found.append(f"{path}:{number}")
    return found


def strip(text: str) -> str:
    """The module's syntax tree without annotations and imports: what the codemod may not change."""
    tree = ast.parse(text)
    tree.body = [node for node in tree.body if not isinstance(node, (ast.Import, ast.ImportFrom))]
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node.returns = None
            for argument in node.args.posonlyargs + node.args.args + node.args.kwonlyargs:
                argument.annotation = None
    return ast.dump(tree)


def test_after_annotating_mypy_names_every_planted_line_and_nothing_else(
    suite: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MYPYPATH", str(ROOT))
    cache = tmp_path / "mypy_cache"
    assert len(planted(suite)) == 6
    assert mypy_report(suite, cache) == []  # unannotated: every parameter is Any, and mypy sees nothing
    run = annotate(capsys, "tests")
    assert run.code == 0, run.err
    lines = [str(Path(p).relative_to(suite)) for p in planted(suite)]  # imports were added above them
    assert sorted(mypy_report(suite, cache)) == sorted(lines)


def test_fixtures_resolve_as_pytest_resolves_them(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert annotate(capsys, "tests").code == 0
    chat = (suite / "tests" / "unit" / "test_chat.py").read_text()
    expected = [
        "async def test_reply(self, handler: BYOKProtocol, adapter: ProviderAdapterProtocol) -> None:",  # conftest chain; override
        "def test_prompt(self, prompt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:",  # class fixture; built-ins
        "async def test_invented_stream(opened: BYOKProtocol) -> None:",  # async yield fixture yielding another fixture
        "def test_attribute_written_on_the_real_handler(real_handler: BYOKHandler) -> None:",  # yield of a constructor call
        "def test_misspelt_assertion_keyword(raw_adapter: ProviderAdapterProtocol, capsys: pytest.CaptureFixture[str], "
        "caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest) -> None:",  # @pytest.fixture(name=...), double(Proto)
        "def test_settings(settings) -> None:",  # uncertain: reported, not guessed
        "from byok import BYOKHandler\nfrom contracts.adapter_protocol import ProviderAdapterProtocol\n"
        "from contracts.byok_protocol import BYOKProtocol\nfrom pathlib import Path\n\nHELLO",  # imports after the file's own
    ]
    for line in expected:
        assert line in chat, line
    unit_conftest = (suite / "tests" / "unit" / "conftest.py").read_text()
    assert "def adapter(adapter: ProviderAdapterProtocol):" in unit_conftest  # the overridden one, from the outer conftest


def test_an_uncertain_fixture_is_reported_not_guessed(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = annotate(capsys, "tests")
    assert "tests/unit/test_chat.py:48: test_settings(settings): not annotated: it has no return annotation and the type of" in run.err
    assert "'load_settings()' is not certain" in run.err


def test_only_annotations_and_imports_change_and_a_second_run_changes_nothing(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(suite)
    assert annotate(capsys, "tests").code == 0
    after = snapshot(suite)
    assert after != before
    assert {name: strip(text) for name, text in after.items()} == {name: strip(text) for name, text in before.items()}
    assert annotate(capsys, "tests").out == ""
    assert snapshot(suite) == after
    assert annotate(capsys, "--check", "tests").code == 0


def test_check_lists_and_diff_shows_without_writing(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(suite)
    check = annotate(capsys, "--check", "tests")
    assert check.code == 1
    assert "tests/unit/test_chat.py:15: test_reply(handler): BYOKProtocol" in check.out
    assert "annotation(s) missing in 3 file(s)" in check.err
    diff = annotate(capsys, "--diff", "tests")
    assert diff.code == 1
    assert "+    async def test_invented_method(self, handler: BYOKProtocol) -> None:" in diff.out
    assert snapshot(suite) == before


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("test_broken.py", "def test_x(:\n", "tests/test_broken.py:1: syntax error"),
        (
            "test_cycle.py",
            "import pytest\n\n@pytest.fixture\ndef a(b):\n    return b\n\n@pytest.fixture\ndef b(a):\n    return a\n\n"
            "def test_x(a):\n    pass\n",
            "fixture cycle: a -> b -> a",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    name: str, text: str, says: str, suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (suite / "tests" / name).write_text(text)
    before = snapshot(suite)
    run = annotate(capsys, "tests")
    assert run.code == 2
    assert run.err.startswith("annotate-fixtures: error: ") and says in run.err and run.err.count("\n") == 1, run.err
    assert snapshot(suite) == before


def test_a_missing_path_exits_2(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = annotate(capsys, "no/such/tests")
    assert (run.code, run.err) == (2, "annotate-fixtures: error: no/such/tests: no such file or directory\n")


def test_the_project_tests_are_annotated(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run = annotate(capsys, "--check", "tests")
    assert (run.code, run.out) == (0, ""), run.err


PACKAGE_CONFTEST = """\
from collections.abc import AsyncIterator, Iterator
from pathlib import Path as P

from pytest import fixture


class Box:
    pass


@fixture
def box():
    return Box()


@fixture
def folder(tmp_path) -> Iterator[P]:
    yield tmp_path


@fixture
async def boxes() -> AsyncIterator[list[Box]]:
    yield [Box()]
"""
PACKAGE_TEST = """\
Box = "not the conftest's Box"


def test_uses(box, folder, boxes):
    pass
"""


def test_annotated_yields_aliases_and_name_clashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    (package / "__init__.py").write_text("")
    (package / "conftest.py").write_text(PACKAGE_CONFTEST)
    (package / "test_box.py").write_text(PACKAGE_TEST)
    monkeypatch.chdir(tmp_path)
    run = annotate(capsys, "pkg")
    assert run.code == 0
    assert "def folder(tmp_path: Path) -> Iterator[P]:" in (package / "conftest.py").read_text()
    text = (package / "test_box.py").read_text()
    assert text.startswith("from pathlib import Path as P\n")  # the name the fixture's module uses, imported as it is there
    assert "def test_uses(box, folder: P, boxes) -> None:" in text  # Box is bound otherwise here: reported, not clobbered
    assert "test_box.py:4: test_uses(box): not annotated: the type needs 'Box' from pkg.conftest.Box" in run.err
    assert "test_box.py:4: test_uses(boxes): not annotated: the type needs 'Box' from pkg.conftest.Box" in run.err
