"""Mutants of the real handler: each drift makes both `gen_protocol --check` and `assert_conforms` fail,
and each message names the member that drifted."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from protodoubles import conformance_problems

from contracts.byok_protocol import BYOKProtocol
from tests.contract.conftest import ROOT, GenRunner

MUTANTS = {
    "method renamed": (
        "    def get_context_window(self, model: str) -> int:",
        "    def context_window_of(self, model: str) -> int:",
        ["BYOKProtocol.context_window_of: member added (function)", "BYOKProtocol.get_context_window: member removed"],
        "get_context_window: method missing",
    ),
    "parameter added": (
        "    def get_cheapest_models(self, limit: int = 5) -> list[ModelInfo]:",
        "    def get_cheapest_models(self, limit: int = 5, tier: int = 0) -> list[ModelInfo]:",
        ["BYOKProtocol.get_cheapest_models(tier): optional parameter added"],
        "get_cheapest_models(tier): parameter not in the protocol",
    ),
    "keyword made positional": (
        "        self, complexity: QueryComplexity = QueryComplexity.MODERATE, *, prefer_cost: bool = True, input_tokens: int = 0\n",
        "        self, complexity: QueryComplexity = QueryComplexity.MODERATE, prefer_cost: bool = True, *, input_tokens: int = 0\n",
        ["BYOKProtocol.get_optimal_provider(prefer_cost): parameter kind changed: keyword-only -> positional or keyword"],
        "get_optimal_provider(prefer_cost): expected keyword-only, found positional or keyword",
    ),
    "async changed to sync": (
        "    async def __aenter__(self) -> Self:",
        "    def __aenter__(self) -> Self:",
        ["BYOKProtocol.__aenter__: changed from async to sync"],
        "__aenter__: expected a coroutine method, found a sync method",
    ),
    "return type changed": (
        "    def get_context_window(self, model: str) -> int:",
        "    def get_context_window(self, model: str) -> float:",
        ["BYOKProtocol.get_context_window: return type changed: int -> float"],
        "get_context_window() return: annotation differs: protocol 'int', implementation 'float'",
    ),
    "made keyword-only": (
        "    def truncate_to_context(self, text: str, model: str, reserve_tokens: int = 1000) -> str:",
        "    def truncate_to_context(self, text: str, model: str, *, reserve_tokens: int = 1000) -> str:",
        ["BYOKProtocol.truncate_to_context(reserve_tokens): parameter kind changed: positional or keyword -> keyword-only"],
        "truncate_to_context(reserve_tokens): expected positional or keyword, found keyword-only",
    ),
    "parameter renamed": (
        "    def get_context_window(self, model: str) -> int:",
        "    def get_context_window(self, model_name: str) -> int:",
        ["BYOKProtocol.get_context_window: parameter renamed at position 1: model -> model_name"],
        "get_context_window(model): parameter missing",
    ),
    "attribute removed": (
        "        self.timeout_s = timeout_s\n",
        "        self._timeout_s = timeout_s\n",
        ["BYOKProtocol.timeout_s: member removed"],
        "timeout_s: attribute missing",
    ),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the handler's package and its generated protocol, with a config naming only it."""
    shutil.copytree(ROOT / "byok", tmp_path / "byok", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "contracts" / "byok_protocol.py", tmp_path / "byok_protocol.py")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.gen_protocol]\ncommand = "python tools/gen_protocol.py"\n\n'
        '[[tool.gen_protocol.targets]]\nsource = "byok.handler:BYOKHandler"\noutput = "byok_protocol.py"\nname = "BYOKProtocol"\n'
    )
    return tmp_path


def test_the_unmutated_copy_is_fresh(project: Path, gen: GenRunner) -> None:
    run = gen("--check", cwd=project)
    assert (run.code, run.err) == (0, "")


@pytest.mark.parametrize("mutant", list(MUTANTS))
def test_mutant_fails_check_and_conformance_naming_the_member(mutant: str, project: Path, gen: GenRunner) -> None:
    before, after, drift, problem = MUTANTS[mutant]
    handler = project / "byok" / "handler.py"
    source = handler.read_text()
    assert source.count(before) == 1, f"the mutation point of {mutant!r} moved: update this test"
    handler.write_text(source.replace(before, after))

    run = gen("--check", cwd=project)
    assert run.code == 1
    reported = [line.removeprefix("  - ") for line in run.out.splitlines() if line.startswith("  - ")]
    assert reported == drift
    assert "--- byok_protocol.py (on disk)" in run.out

    name = f"mutant_handler_{abs(hash(mutant))}"
    spec = importlib.util.spec_from_file_location(name, handler)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        assert problem in conformance_problems(module.BYOKHandler, BYOKProtocol)
    finally:
        del sys.modules[name]
