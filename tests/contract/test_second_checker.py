"""ty, the second checker of `make gates`, sees what a mypy-coded ignore hides and the branch a hasattr()
narrows: each drift below is a ty error on its line, and a correct file is clean."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.contract.conftest import ROOT

TY = ROOT / ".venv" / "bin" / "ty"
HIDDEN = """\
from protodoubles import double, mock_of

from contracts.byok_protocol import BYOKProtocol


def stub(handler: BYOKProtocol) -> None:
    mock_of(handler.generate_response).returns({"text": "hi"})  # type: ignore[arg-type]


async def probe(handler: BYOKProtocol) -> None:
    if hasattr(handler, "complete_chat"):
        await handler.complete_chat("hi")


def clean() -> BYOKProtocol:
    return double(BYOKProtocol)
"""


def _ty(path: Path) -> tuple[int, str]:
    done = subprocess.run(
        [str(TY), "check", "--no-progress", "--output-format", "concise", str(path)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout + done.stderr


def test_ty_reports_a_mypy_ignored_drift_and_a_hasattr_branch(tmp_path: Path) -> None:
    path = tmp_path / "test_hidden.py"
    path.write_text(HIDDEN, encoding="utf-8")
    code, report = _ty(path)
    lines = sorted({int(row.split(":")[1]) for row in report.splitlines() if "error[" in row})
    assert code == 1, report
    assert lines == [7, 12], report


def test_ty_is_clean_on_the_correct_part(tmp_path: Path) -> None:
    path = tmp_path / "test_clean.py"
    path.write_text(
        HIDDEN.split("\n\n\ndef stub", maxsplit=1)[0] + "\n\n\ndef clean() -> BYOKProtocol:\n    return double(BYOKProtocol)\n",
        encoding="utf-8",
    )
    assert _ty(path) == (0, "All checks passed!\n")
