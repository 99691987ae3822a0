"""annotate-fixtures writes a user's test file back as that file: line endings, BOM, mode, hard links and
symlinks kept; a file edited while the tool runs is never overwritten; PEP 484 type comments never stay
beside the annotations it adds."""

from __future__ import annotations

import ast
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from _support import Ran
from protodoubles._internal import files
from protodoubles._internal.annotate.cli import main
from protodoubles._internal.annotate.plan import Plan, Planner
from protodoubles._internal.annotate.reader import Source

CONFTEST = "import pytest\n\n\n@pytest.fixture\ndef amount() -> int:\n    return 1\n"
TEST = "def test_a(amount):\n    assert amount == 1\n"
ANNOTATED = "def test_a(amount: int) -> None:\n    assert amount == 1\n"
MODE = 0o751  # rwxr-x--x: not what a new file gets


@pytest.fixture
def suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny suite: a fixture ``amount`` in conftest.py and an unannotated test_a.py that requests it."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "suite"\nversion = "0"\n', encoding="utf-8")
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "test_a.py").write_text(TEST, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def annotate(capsys: pytest.CaptureFixture[str], *args: str) -> Ran:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return Ran(code, out, err)


def failed_on(ran: Ran, *fragments: str) -> None:
    """Exit status 2 and one line on stderr naming each of ``fragments``."""
    assert ran.code == 2, ran
    lines = ran.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotate-fixtures: error: "), ran.err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def replaced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The destinations of every os.replace the run makes, as resolved paths."""
    calls: list[str] = []
    real = os.replace

    def counting(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(os.path.realpath(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", counting)
    return calls


def test_crlf_is_kept_byte_for_byte_outside_the_annotations(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (
        b'"""Tests."""\r\n\r\n# a comment\r\ndef test_a(amount):\r\n    assert amount == 1\r\n\r\n\r\ndef test_b(amount):\r\n    pass\r\n'
    )
    (suite / "test_a.py").write_bytes(before)
    assert annotate(capsys).code == 0
    after = (suite / "test_a.py").read_bytes()
    assert after.count(b": int") == 2 and after.count(b" -> None") == 2
    assert after.replace(b": int", b"").replace(b" -> None", b"") == before


def test_a_file_that_starts_with_a_bom_is_annotated_and_keeps_it(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (suite / "test_a.py").write_bytes(b"\xef\xbb\xbf" + TEST.encode())
    ran = annotate(capsys)
    assert ran.code == 0, ran
    assert (suite / "test_a.py").read_bytes() == b"\xef\xbb\xbf" + ANNOTATED.encode()


def test_the_mode_is_kept(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.chmod(suite / "test_a.py", MODE)
    assert annotate(capsys).code == 0
    assert (suite / "test_a.py").read_text(encoding="utf-8") == ANNOTATED
    assert stat.S_IMODE(os.stat(suite / "test_a.py").st_mode) == MODE


def test_a_hard_link_is_kept(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = suite / "shared" / "same_tests.py"  # not a test file name: only reached as test_a.py
    other.parent.mkdir()
    os.link(suite / "test_a.py", other)
    assert annotate(capsys).code == 0
    assert (suite / "test_a.py").read_text(encoding="utf-8") == other.read_text(encoding="utf-8") == ANNOTATED
    assert os.stat(suite / "test_a.py").st_ino == os.stat(other).st_ino


def test_a_symlinked_test_file_is_written_once_through_its_target(
    suite: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (suite / "test_b.py").symlink_to("test_a.py")  # both names are collected: one file
    target = suite / "impl" / "c_tests.py"
    target.parent.mkdir()
    target.write_text(TEST.replace("test_a", "test_c"), encoding="utf-8")
    (suite / "test_c.py").symlink_to(target)  # reached only through the link
    calls = replaced(monkeypatch)
    ran = annotate(capsys)
    assert ran.code == 0, ran
    assert (suite / "test_b.py").is_symlink() and (suite / "test_c.py").is_symlink()
    assert (suite / "test_a.py").read_text(encoding="utf-8") == ANNOTATED
    assert target.read_text(encoding="utf-8") == ANNOTATED.replace("test_a", "test_c")
    assert sorted(calls) == sorted([os.path.realpath(suite / "test_a.py"), os.path.realpath(target)])


def edit_after_planning(monkeypatch: pytest.MonkeyPatch, path: Path, edited: str) -> None:
    """Someone saves ``path`` in an editor once the tool has read and planned it."""
    real: Callable[[Planner, Source], Plan] = Planner.plan

    def plan_then_edit(self: Planner, source: Source) -> Plan:
        planned = real(self, source)
        if source.path == path.resolve():
            path.write_text(edited, encoding="utf-8")
        return planned

    monkeypatch.setattr(Planner, "plan", plan_then_edit)


def test_a_file_edited_after_it_was_read_is_not_overwritten_and_nothing_is_written(
    suite: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (suite / "test_z.py").write_text(TEST.replace("test_a", "test_z"), encoding="utf-8")  # planned after test_a.py
    edited = TEST + "\n\ndef test_new():\n    pass\n"
    edit_after_planning(monkeypatch, suite / "test_a.py", edited)
    failed_on(annotate(capsys), "test_a.py", "changed")
    assert (suite / "test_a.py").read_text(encoding="utf-8") == edited
    assert (suite / "test_z.py").read_text(encoding="utf-8") == TEST.replace("test_a", "test_z")


def test_an_edit_right_before_the_write_is_caught_too(
    suite: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = TEST + "# saved meanwhile\n"
    real = files.rewrite

    def edit_then_rewrite(snap: files.Snapshot, new_text: str) -> None:
        snap.path.write_text(edited, encoding="utf-8")
        real(snap, new_text)

    monkeypatch.setattr(files, "rewrite", edit_then_rewrite)
    failed_on(annotate(capsys), "test_a.py", "changed")
    assert (suite / "test_a.py").read_text(encoding="utf-8") == edited
    assert sorted(p.name for p in suite.iterdir() if p.name.endswith(".tmp")) == []


def signature_comments(text: str) -> list[str | None]:
    """Each function's signature type comment and its parameters' ones, as mypy reads them."""
    found: list[str | None] = []
    for node in ast.walk(ast.parse(text, type_comments=True)):
        if isinstance(node, ast.FunctionDef):
            found += [node.type_comment, *(a.type_comment for a in node.args.args)]
    return [comment for comment in found if comment is not None]


def test_a_type_comment_is_dropped_when_annotations_are_added(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (suite / "test_a.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef label() -> str:\n    return 'x'\n\n\n"
        "def test_a(amount):  # type: (...) -> None\n    assert amount == 1\n\n\n"
        "def test_b(amount,  # type: int\n           label):\n    # type: (...) -> None\n    assert label\n\n\n"
        "def test_c(amount):  # type: ignore[misc]  (not a type comment: kept)\n    pass\n",
        encoding="utf-8",
    )
    ran = annotate(capsys)
    assert ran.code == 0, ran
    after = (suite / "test_a.py").read_text(encoding="utf-8")
    assert signature_comments(after) == []
    assert "def test_a(amount: int) -> None:\n    assert amount == 1\n" in after
    assert "def test_b(amount: int,\n           label: str) -> None:\n    assert label\n" in after
    assert "def test_c(amount: int) -> None:  # type: ignore[misc]  (not a type comment: kept)\n" in after


def test_a_signature_fully_typed_by_its_comment_is_left_alone(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "def test_a(amount):  # type: (int) -> None\n    assert amount == 1\n"
    (suite / "test_a.py").write_text(text, encoding="utf-8")
    ran = annotate(capsys, "--check")
    assert ran.code == 0, ran
    assert annotate(capsys).code == 0
    assert (suite / "test_a.py").read_text(encoding="utf-8") == text
