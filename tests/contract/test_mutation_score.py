"""tools/mutation_score.py: the score per module from mutmut's result files, and a run that judged no mutant
(mutmut stopped before its tests ran) reported as a failure instead of an empty table."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.contract.conftest import ROOT


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_score", ROOT / "tools" / "mutation_score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _results(folder: Path, codes: dict[str, int | None]) -> Path:
    (folder / "byok").mkdir(parents=True)
    (folder / "byok" / "budget.py.meta").write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")
    return folder


def test_scores_each_module_and_leaves_out_the_equivalents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mutants = _results(tmp_path / "mutants", {
        "byok.budget.xǁBudgetǁreserve__mutmut_1": 1,
        "byok.budget.xǁBudgetǁreserve__mutmut_2": 0,
        "byok.budget.xǁBudgetǁreserve__mutmut_3": 0,
        "byok.budget.xǁBudgetǁsettle__mutmut_1": None,
    })  # fmt: skip
    equivalents = tmp_path / "equivalents.txt"
    equivalents.write_text("byok.budget.xǁBudgetǁreserve__mutmut_3  # the same value either way\n", encoding="utf-8")
    assert _tool().main(["--mutants", str(mutants), "--equivalents", str(equivalents)]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[1].split() == ["byok.budget", "1", "1", "1", "1", "50.0%"]


def test_a_run_that_judged_no_mutant_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mutants = _results(tmp_path / "mutants", {"byok.budget.xǁBudgetǁreserve__mutmut_1": None})
    assert _tool().main(["--mutants", str(mutants), "--equivalents", str(tmp_path / "none.txt")]) == 1
    assert "no mutant was run to a verdict" in capsys.readouterr().err
