"""The gate's own settings are pinned: weakening one of them (a ruff ignore or exclude, a mypy section, the
plugin turned off, an ini file or conftest hook under tests/, a skip without an accepted reason) fails here."""

from __future__ import annotations

import ast
import configparser
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.contract.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
GUARD_RULES = "TID251,B009,B010,B017,PT011,PGH003,PGH004,S102,S307"
EXCLUDED = ["tests/contract/bad_cases", "tests/contract/samples", "tests/corpus/synthetic", "contracts/*_protocol.py"]
BANNED = {
    "unittest.mock", "unittest.mock.Mock", "unittest.mock.MagicMock", "unittest.mock.AsyncMock", "unittest.mock.NonCallableMock",
    "unittest.mock.NonCallableMagicMock", "unittest.mock.create_autospec", "unittest.mock.patch", "pytest_mock", "typing.cast",
    "typing_extensions.cast", "typing.no_type_check", "typing.no_type_check_decorator", "typing.TYPE_CHECKING",
    "typing_extensions.TYPE_CHECKING", "importlib.import_module", "importlib.__import__", "pytest.skip", "pytest.importorskip",
    "pytest.mark.skip", "protodoubles._internal.doubles.misuse.reset", "pytest.xfail", "operator.attrgetter",
    "operator.methodcaller", "warnings.catch_warnings", "warnings.simplefilter", "warnings.filterwarnings", "dataclasses.asdict",
    "dataclasses.astuple",
}  # fmt: skip
# The mypy sections that may exist, and what each may say (a section for tests that relaxes a check is refused).
MYPY_SECTIONS = {
    "mypy-matplotlib.*": {"ignore_missing_imports": "True"},
    "mypy-litellm.*": {"ignore_missing_imports": "True"},
    "mypy-decoy.*": {"ignore_missing_imports": "True"},
    "mypy-tests.corpus.synthetic.bare_generics": {"disallow_any_generics": "False"},
    "mypy-tests.*": {"disallow_any_explicit": "True", "warn_unused_ignores": "True", "enable_error_code": "ignore-without-code"},
    "mypy-tests.contract.samples.*,tests.loopback,tests.loopback_events": {"disallow_any_explicit": "False"},
    "mypy-tests.contract.samples.bare": {"disallow_any_generics": "False"},
}
# Hooks and autouse fixtures conftest files under tests/ may define: nothing that touches reports or plugins.
CONFTEST_HOOKS = {"tests/conftest.py": {"pytest_runtest_makereport"}}
SKIP_FILES = ("bad_cases", ".venv")


def _tree_files(pattern: str) -> list[Path]:
    return sorted(p for p in ROOT.rglob(pattern) if not any(part in SKIP_FILES for part in p.relative_to(ROOT).parts))


def test_ruff_keeps_its_rules_scope_and_bans() -> None:
    ruff = PYPROJECT["tool"]["ruff"]
    assert ruff["extend-exclude"] == EXCLUDED
    assert {"TID", "B", "PT", "PGH", "S"} <= set(ruff["lint"]["select"])
    assert set(GUARD_RULES.split(",")).isdisjoint(ruff["lint"].get("ignore", []))
    ignores = ruff["lint"]["per-file-ignores"]
    assert ignores["!tests/**"] == ["TID251"]
    for pattern, codes in ignores.items():
        if pattern != "!tests/**":
            assert set(GUARD_RULES.split(",")).isdisjoint(codes), pattern
    assert set(ignores) == {"!tests/**", "{tests,packages/protodoubles/tests,benchmarks}/**"}
    assert set(ruff["lint"]["flake8-tidy-imports"]["banned-api"]) == BANNED
    assert [p.relative_to(ROOT).as_posix() for p in _tree_files("*ruff.toml")] == []


def test_the_guard_pass_ignores_noqa_in_make_gates_and_pre_commit() -> None:
    command = "$(RUFF) check --ignore-noqa --select $(GUARD_RULES) tests/"  # RUFF: .venv's ruff
    assert command in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"GUARD_RULES := {GUARD_RULES}" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"ruff check --ignore-noqa --select {GUARD_RULES} tests/" in (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")


GATES = {  # each gate of `make gates` and its command, the same on the warm path and in CI
    "gate-protocols": "$(PY) tools/gen_protocol.py --check",
    "gate-ruff": "$(RUFF) check .",
    "gate-guard": "$(RUFF) check --ignore-noqa --select $(GUARD_RULES) tests/",
    "gate-format": "$(RUFF) format --check .",
    "gate-annotate": "$(PY) tools/annotate_tests.py --check tests/",
}
CI_CHECKERS = "gate-mypy:\n\t$(PY) -m mypy tests/\n\t$(PY) -m mypy\ngate-ty:\n\t$(VENV)/bin/ty check --no-progress\n"
# Nothing after `--`: the daemon checks mypy.ini's files (tests/ among them) with mypy.ini's settings.
WARM_CHECKERS = (
    "gate-mypy: $(GATES_CACHE)/dmypy.installed\n\t$(DMYPY) run --timeout $(DMYPY_TIMEOUT) --log-file $(GATES_CACHE)/dmypy.log --\n"
    "gate-ty:\n\t$(PY) tools/ty_gate.py\n"
)


def test_make_gates_runs_every_gate_and_ci_runs_the_checkers_cold() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"GATE_STEPS := {' '.join([*GATES, 'gate-mypy', 'gate-ty'])}\n" in makefile
    side_by_side = "--keep-going --jobs --output-sync=target GATES_DAEMON=$(GATES_DAEMON) $(GATE_STEPS)"
    assert f"\t@$(MAKE) --no-print-directory {side_by_side}\n" in makefile
    for step, command in GATES.items():
        assert f"\n{step}:\n\t{command}\n" in makefile, step
    assert "RUFF := $(VENV)/bin/ruff\n" in makefile
    assert f"\nifeq ($(GATES_DAEMON),0)\n{CI_CHECKERS}else\n{WARM_CHECKERS}endif\n" in makefile
    assert "\ntest: GATES_DAEMON = 0\ntest: gates pytest\n" in makefile  # CI (.ci/run: make test) starts no daemon
    assert ".gates_cache/\n" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines(keepends=True)


def test_the_second_checker_runs_over_all_of_tests() -> None:
    assert "$(VENV)/bin/ty check" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert PYPROJECT["tool"]["ty"]["src"] == {
        "include": ["tests"],
        "exclude": ["tests/contract/bad_cases", "tests/contract/samples", "tests/corpus/synthetic"],
    }
    assert "rules" not in PYPROJECT["tool"]["ty"]  # no rule of ty's turned off


def test_mypy_sections_cannot_relax_the_tests() -> None:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "mypy.ini", encoding="utf-8")
    main = parser["mypy"]
    assert (main["strict"], main["warn_unreachable"], main["exclude"]) == ("True", "True", "^tests/contract/bad_cases/")
    assert "tests" in [part.strip() for part in main["files"].split(",")]
    sections = {name: dict(parser[name]) for name in parser.sections() if name != "mypy"}
    assert sections == MYPY_SECTIONS
    assert [p.relative_to(ROOT).as_posix() for p in _tree_files("*mypy.ini")] == ["mypy.ini"]


def test_the_plugin_is_enabled_explicitly_and_never_turned_off() -> None:
    options = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert "-p protodoubles" in options["addopts"]
    for path in [ROOT / "pyproject.toml", ROOT / "Makefile", ROOT / ".ci" / "run", *_tree_files("conftest.py")]:
        assert "no:protodoubles" not in path.read_text(encoding="utf-8"), path
    assert PYPROJECT["tool"]["annotate_fixtures"]["exclude"] == ["tests/contract/bad_cases"]


def test_no_ini_file_under_tests_can_take_over_a_run() -> None:
    found = [p for name in ("pytest.ini", "tox.ini", "setup.cfg", ".pytest.ini", "pyproject.toml") for p in (ROOT / "tests").rglob(name)]
    assert [p.relative_to(ROOT).as_posix() for p in found if "bad_cases" not in p.parts] == []


def test_conftests_define_no_hook_or_autouse_fixture_that_could_weaken_the_gates() -> None:
    for path in _tree_files("conftest.py"):
        relative = path.relative_to(ROOT).as_posix()
        if not relative.startswith("tests/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hooks = {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("pytest_")}
        assert hooks <= CONFTEST_HOOKS.get(relative, set()), (relative, hooks)
        autouse = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg == "autouse"]
        assert autouse == [], (relative, autouse)
        text = ast.unparse(tree)
        for weakening in ("set_blocked", "unregister", "pluginmanager", "misuse"):
            assert weakening not in text, (relative, weakening)


SKIPPED = """\
import sys

import pytest


def test_skipped_in_the_body() -> None:
    pytest.skip("not now")


@pytest.mark.skipif(True, reason="flaky")
def test_skipped_without_an_accepted_reason() -> None:
    pass


@pytest.mark.skipif(sys.platform != "no-such-platform", reason="platform: needs no-such-platform")
def test_skipped_for_a_platform() -> None:
    pass


@pytest.mark.xfail(reason="the old API")
def test_expected_to_fail() -> None:
    assert False


@pytest.mark.parametrize("value", [pytest.param(1, marks=pytest.mark.xfail)])
def test_a_row_expected_to_fail(value: int) -> None:
    assert value == 2


@pytest.mark.xfail(reason="platform: no such platform here")
def test_expected_to_fail_on_a_platform() -> None:
    assert False
"""


def test_a_skip_without_an_accepted_reason_fails(tmp_path: Path) -> None:
    (tmp_path / "tests" / "unit").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "tests" / "conftest.py")
    (tmp_path / "tests" / "unit" / "test_skips.py").write_text(SKIPPED, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:xdist", "tests"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAILED tests/unit/test_skips.py::test_skipped_in_the_body" in done.stdout, done.stdout
    assert "ERROR tests/unit/test_skips.py::test_skipped_without_an_accepted_reason" in done.stdout, done.stdout  # at setup
    assert "SKIPPED [1] tests/unit/test_skips.py" in done.stdout and "platform: needs" in done.stdout, done.stdout
    assert "FAILED tests/unit/test_skips.py::test_expected_to_fail -" in done.stdout, done.stdout
    assert "FAILED tests/unit/test_skips.py::test_a_row_expected_to_fail[1]" in done.stdout, done.stdout
    assert "XFAIL tests/unit/test_skips.py::test_expected_to_fail_on_a_platform" in done.stdout, done.stdout


@pytest.mark.parametrize("name", ["pytest.ini", "tox.ini", "setup.cfg"])
def test_the_ini_check_sees_a_planted_file(name: str, tmp_path: Path) -> None:
    """The check above can fail: the same search finds a planted file."""
    (tmp_path / "tests" / "unit").mkdir(parents=True)
    (tmp_path / "tests" / "unit" / name).write_text("[pytest]\naddopts = -p no:protodoubles\n", encoding="utf-8")
    assert [p.name for p in (tmp_path / "tests").rglob(name)] == [name]
