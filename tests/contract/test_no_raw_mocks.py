"""Tests cannot opt out of the gates. ruff (configured in pyproject.toml) bans unittest.mock's classes,
create_autospec, patch and pytest_mock, however imported or aliased; this module checks what ruff cannot
express: opt-outs of the type checker and monkeypatch creating attributes the real object lacks."""

from __future__ import annotations

import ast
import functools
import io
import re
import subprocess
import sys
import tokenize
import tomllib
import typing

import pytest

from tests.contract.conftest import ROOT

_INLINE_CONFIG = re.compile(r"#\s*mypy\s*:")
_TYPE_IGNORE = re.compile(r"#\s*type\s*:\s*ignore")
_NO_TYPE_CHECK = frozenset({"no_type_check", "no_type_check_decorator"})


def opt_outs(source: str, filename: str, *, tier: bool = False) -> list[str]:
    """``file:line: what`` for every way this file opts out of the gates that ruff does not catch. ``tier``:
    the file is a test of the project's code (tests/unit, tests/integration), where a double stands only
    for a generated protocol."""
    tree = ast.parse(source, filename)
    first_statement = tree.body[0].lineno if tree.body else 1 << 30
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        line = token.start[0]
        if _INLINE_CONFIG.match(token.string):
            found.append(f"{filename}:{line}: inline mypy configuration ({token.string.strip()})")
        elif _TYPE_IGNORE.match(token.string) and line < first_statement:
            found.append(f"{filename}:{line}: a type: ignore before the first statement silences the whole file")
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                name = decorator.id if isinstance(decorator, ast.Name) else decorator.attr if isinstance(decorator, ast.Attribute) else ""
                if name in _NO_TYPE_CHECK:
                    found.append(f"{filename}:{decorator.lineno}: @{name} turns the type checker off for {node.name}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setattr":
            for keyword in node.keywords:
                if keyword.arg == "raising" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is True):
                    found.append(f"{filename}:{node.lineno}: setattr(..., raising=...) may create an attribute the real object lacks")
        found += _dodges(node, filename)
    if tier:
        found += _invented_protocols(tree, filename) + _subclassed_contracts(tree, filename)
    return sorted(found, key=lambda f: int(f.split(":")[1]))


@functools.cache
def _contract_classes() -> frozenset[str]:
    """The classes this project generates protocols from ([tool.gen_protocol] in pyproject.toml)."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["gen_protocol"]
    return frozenset(target["source"].rsplit(":", 1)[-1] for target in settings["targets"])


def _subclassed_contracts(tree: ast.Module, filename: str) -> list[str]:
    """A subclass of a class under contract, written in a test, can add or change methods that no
    protocol records: the test then exercises a class that does not exist."""
    contracts = _contract_classes()
    return [
        f"{filename}:{node.lineno}: class {node.name} subclasses {base}, whose contract is generated: test {base} itself, or double its protocol"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for base in (ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases)
        if base in contracts
    ]


def _invented_protocols(tree: ast.Module, filename: str) -> list[str]:
    """A protocol written in the test and then doubled stands for nothing real: its methods can drift from
    the class they mimic with no gate to see it."""
    written = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any(ast.unparse(base).rsplit(".", 1)[-1] == "Protocol" for base in node.bases)
    }
    return [
        f"{filename}:{node.lineno}: double({node.args[0].id}) of a protocol written in the test: double a generated protocol"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "double"
        and node.args
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id in written
    ]


# Builtins that ruff's banned-api cannot name: each hands mypy an Any, or narrows a drifted branch away.
_BUILTIN_DODGES = {
    "hasattr": "hasattr() narrows mypy to Any, so a drifted branch is never checked (and may never run)",
    "vars": "vars() hands out a module's or object's namespace as Any",
    "__import__": "__import__() imports by a string: the module is Any to mypy",
}


_DRIFT_ERRORS = frozenset({"TypeError", "AttributeError", "Exception", "BaseException"})


def _broad_raises(node: ast.AST) -> typing.TypeGuard[ast.Call]:
    """``pytest.raises((SomeError, TypeError))``: the tuple lets a call off the signature count as expected."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "raises" and node.args):
        return False
    expected = node.args[0]
    return isinstance(expected, ast.Tuple) and any(ast.unparse(item).rsplit(".", 1)[-1] in _DRIFT_ERRORS for item in expected.elts)


def _dodges(node: ast.AST, filename: str) -> list[str]:
    """Reads that get past mypy without a comment: probing builtins, a namespace read as a dict, an
    SDK model built without validation."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name in _BUILTIN_DODGES:
            return [f"{filename}:{node.lineno}: {_BUILTIN_DODGES[name]}"]
        if name == "getattr" and (len(node.args) == 3 or not isinstance(node.args[1], ast.Constant)):
            return [f"{filename}:{node.lineno}: getattr() with a default or a name mypy cannot read: read the attribute, so mypy checks it"]
    if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__test__" for t in node.targets):
        return [f"{filename}:{node.lineno}: __test__ hides tests from collection, where no gate runs them"]
    if _broad_raises(node):
        return [
            f"{filename}:{node.lineno}: pytest.raises() with a tuple naming TypeError, AttributeError or Exception: a drifted call raises those"
        ]
    if isinstance(node, ast.Attribute) and node.attr == "__dict__":
        return [f"{filename}:{node.lineno}: .__dict__ reads a namespace as Any"]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "model_construct":
        return [f"{filename}:{node.lineno}: model_construct() skips validation: build SDK objects with model_validate or the builders"]
    return []


def test_no_test_opts_out_of_the_gates() -> None:
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if "bad_cases" not in path.parts:
            relative = path.relative_to(ROOT)
            found += opt_outs(path.read_text(encoding="utf-8"), str(relative), tier=relative.parts[1] in ("unit", "integration"))
    assert found == []


def test_ruff_rejects_the_old_style_sdk_suite() -> None:
    """The MagicMock suite kept as a bad case is what ruff's banned-api rule refuses in tests/."""
    path = ROOT / "tests/contract/bad_cases/old_style_sdk_suite.py"
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "TID251" in done.stdout and "unittest.mock.MagicMock" in done.stdout, done.stdout


def test_pytest_turns_warnings_into_errors() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert 'filterwarnings = ["error"]' in text


def test_pre_commit_runs_the_gates_without_downloads() -> None:
    text = (ROOT / ".pre-commit-config.yaml").read_text()
    assert "repo: local" in text and "http" not in text
    assert "tools/gen_protocol.py --check" in text
    assert "mypy tests/" in text
    assert "ruff check ." in text and "ruff format --check ." in text
    assert "annotate_tests.py --check" in text


def test_other_repositories_get_both_checks_as_hooks() -> None:
    manifest = ROOT / ".pre-commit-hooks.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(manifest)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    scripts = tomllib.loads((ROOT / "packages" / "protodoubles" / "pyproject.toml").read_text())["project"]["scripts"]
    entries = re.findall(r"^  entry: (\S+) (.*)$", manifest.read_text(), flags=re.MULTILINE)
    assert entries == [("gen-protocol", "--check"), ("annotate-fixtures", "--check")]
    assert all(script in scripts for script, _ in entries)


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("handler = getattr(byok, NAME, None)", "getattr() with a default or a name mypy cannot read"),
        ("method = getattr(handler, name)", "getattr() with a default or a name mypy cannot read"),
        ("__test__ = False", "__test__ hides tests from collection"),
        ("with pytest.raises((InvalidRequestError, TypeError)):\n    pass", "pytest.raises() with a tuple naming TypeError"),
        ("assert hasattr(handler, 'stream_tokens')", "hasattr() narrows mypy to Any"),
        ("client = ChatCompletion.model_construct(choices=[])", "model_construct() skips validation"),
    ],
)
def test_the_scanner_sees_each_dodge(line: str, says: str) -> None:
    found = opt_outs(f"import byok\n{line}\n", "test_x.py")
    assert len(found) == 1 and found[0].startswith("test_x.py:2: ") and says in found[0], found


def test_the_scanner_refuses_a_subclass_of_a_class_under_contract_in_a_unit_test() -> None:
    source = "import byok\n\n\nclass CompatHandler(byok.BYOKHandler):\n    async def complete_chat(self) -> None: ...\n"
    assert opt_outs(source, "test_x.py", tier=True) == [
        "test_x.py:4: class CompatHandler subclasses BYOKHandler, whose contract is generated: test BYOKHandler itself, or double its protocol"
    ]
    assert opt_outs(source.replace("byok.BYOKHandler", "Exception"), "test_x.py", tier=True) == []


def test_the_scanner_refuses_a_protocol_written_in_a_unit_test_and_doubled() -> None:
    source = "from typing import Protocol\n\n\nclass Replier(Protocol):\n    def reply(self) -> str: ...\n\n\nmade = double(Replier)\n"
    assert opt_outs(source, "test_x.py", tier=True) == [
        "test_x.py:8: double(Replier) of a protocol written in the test: double a generated protocol"
    ]
    assert opt_outs(source, "test_x.py") == []  # the tool's own contract tests double protocols of their own
