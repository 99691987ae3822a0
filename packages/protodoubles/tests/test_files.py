"""protodoubles._internal.files: a user's file is written back as that file (newlines, BOM, mode, owner, hard
links, symlinks), never over an edit made since it was read; a generated file is written only over a regular
file or at a new path, never over a source, a device or a FIFO."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from protodoubles._internal import files
from protodoubles._internal.files import UnsafeWriteError, is_regular_or_missing, rewrite, snapshot, write_output

ORIGINAL = "def test_a(amount):\n    assert amount == 1\n"
ANNOTATED = "def test_a(amount: int) -> None:\n    assert amount == 1\n"
MODE = 0o751  # rwxr-x--x: not what a new file gets


def make(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def one_line(error: pytest.ExceptionInfo[UnsafeWriteError], *fragments: str) -> None:
    message = str(error.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def leftovers(folder: Path) -> list[str]:
    """Temporary files left beside the user's files."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def without_blocking(call: Callable[[], object], fifo: Path) -> BaseException | None:
    """Run ``call`` in a thread; if it blocks on ``fifo``, unblock it and fail. Returns what it raised."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # handed to the test below
            raised.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    if thread.is_alive():
        fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # lets a blocked open of the FIFO return
        os.close(fd)
        thread.join(10)
        pytest.fail(f"blocked on the FIFO {fifo}")
    return raised[0] if raised else None


# --- reading ------------------------------------------------------------------------------------------


def test_a_snapshot_knows_the_bytes_and_normalises_the_text(tmp_path: Path) -> None:
    path = make(tmp_path / "test_a.py", b"a = 1\r\nb = 2\r\n")
    snap = snapshot(path)
    assert (snap.text, snap.newline, snap.bom, snap.data, snap.size) == ("a = 1\nb = 2\n", "\r\n", False, b"a = 1\r\nb = 2\r\n", 14)
    info = os.stat(path)
    assert (snap.device, snap.inode, snap.mtime_ns, snap.target) == (info.st_dev, info.st_ino, info.st_mtime_ns, path.resolve())
    assert snapshot(make(tmp_path / "cr.py", b"a\rb\r")).newline == "\r"
    assert snapshot(make(tmp_path / "none.py", b"a = 1")).newline == "\n"


def test_a_bom_is_read_and_not_part_of_the_text(tmp_path: Path) -> None:
    snap = snapshot(make(tmp_path / "test_a.py", b"\xef\xbb\xbf" + ORIGINAL.encode()))
    assert snap.bom and snap.text == ORIGINAL


def test_undecodable_utf8_is_one_clear_line(tmp_path: Path) -> None:
    path = make(tmp_path / "test_a.py", b"x = '\xff'\n")
    with pytest.raises(UnsafeWriteError) as error:
        snapshot(path)
    one_line(error, "test_a.py", "not UTF-8", "byte 5")


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "test_a.py"
    os.mkfifo(fifo)
    raised = without_blocking(lambda: snapshot(fifo), fifo)
    assert isinstance(raised, UnsafeWriteError) and "not a regular file" in str(raised)
    assert is_regular_or_missing(fifo) is False
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_is_regular_or_missing(tmp_path: Path) -> None:
    assert is_regular_or_missing(make(tmp_path / "a.py", b""))
    assert is_regular_or_missing(tmp_path / "missing.py")
    assert not is_regular_or_missing(tmp_path)
    assert not is_regular_or_missing(Path("/dev/null"))


# --- rewriting ----------------------------------------------------------------------------------------


def test_crlf_is_kept_byte_for_byte(tmp_path: Path) -> None:
    before = b"# keep\r\n\r\ndef test_a(amount):\r\n    assert amount == 1\r\n"
    path = make(tmp_path / "test_a.py", before)
    snap = snapshot(path)
    rewrite(snap, snap.text.replace("(amount):", "(amount: int) -> None:"))
    assert path.read_bytes() == before.replace(b"(amount):", b"(amount: int) -> None:")


def test_mixed_line_endings_keep_their_own_ending_per_line(tmp_path: Path) -> None:
    path = make(tmp_path / "test_a.py", b"a = 1\r\nb = 2\nc = 3\r\n")
    snap = snapshot(path)
    rewrite(snap, "import x\na = 1\nb = 2\nc = 3\n")
    assert path.read_bytes() == b"import x\r\na = 1\r\nb = 2\nc = 3\r\n"


def test_a_bom_is_kept(tmp_path: Path) -> None:
    path = make(tmp_path / "test_a.py", b"\xef\xbb\xbf" + ORIGINAL.encode())
    rewrite(snapshot(path), ANNOTATED)
    assert path.read_bytes() == b"\xef\xbb\xbf" + ANNOTATED.encode()


def test_the_mode_is_kept_even_where_chown_is_not_permitted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make(tmp_path / "test_a.py", ORIGINAL.encode())
    os.chmod(path, MODE)

    def refused(fd: int, uid: int, gid: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", refused)
    rewrite(snapshot(path), ANNOTATED)
    assert stat.S_IMODE(os.stat(path).st_mode) == MODE
    assert path.read_text(encoding="utf-8") == ANNOTATED


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_the_owner_is_kept(tmp_path: Path) -> None:
    path = make(tmp_path / "test_a.py", ORIGINAL.encode())
    os.chown(path, 12345, 23456)
    rewrite(snapshot(path), ANNOTATED)
    info = os.stat(path)
    assert (info.st_uid, info.st_gid) == (12345, 23456)


def test_a_hard_link_is_kept(tmp_path: Path) -> None:
    path = make(tmp_path / "test_a.py", ORIGINAL.encode())
    other = tmp_path / "elsewhere" / "same.py"
    other.parent.mkdir()
    os.link(path, other)
    rewrite(snapshot(path), ANNOTATED)
    assert path.read_text(encoding="utf-8") == other.read_text(encoding="utf-8") == ANNOTATED
    assert os.stat(path).st_ino == os.stat(other).st_ino and os.stat(path).st_nlink == 2


def test_a_symlink_is_written_through_and_kept(tmp_path: Path) -> None:
    target = make(tmp_path / "real" / "a_impl.py", ORIGINAL.encode())
    link = tmp_path / "test_a.py"
    link.symlink_to(target)
    rewrite(snapshot(link), ANNOTATED)
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text(encoding="utf-8") == ANNOTATED
    assert leftovers(tmp_path) == leftovers(target.parent) == []


def test_a_file_edited_since_it_was_read_is_not_written(tmp_path: Path) -> None:
    path = make(tmp_path / "test_a.py", ORIGINAL.encode())
    snap = snapshot(path)
    edited = ORIGINAL + "# saved by an editor meanwhile\n"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(UnsafeWriteError) as error:
        rewrite(snap, ANNOTATED)
    one_line(error, "test_a.py", "changed")
    assert path.read_text(encoding="utf-8") == edited
    assert leftovers(tmp_path) == []


def test_an_edit_while_the_new_text_is_written_is_caught_right_before_the_replace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make(tmp_path / "test_a.py", ORIGINAL.encode())
    snap = snapshot(path)
    edited = ORIGINAL + "# saved by an editor meanwhile\n"
    real_fsync = os.fsync

    def fsync_then_edit(fd: int) -> None:
        real_fsync(fd)
        if path.read_text(encoding="utf-8") != edited:
            path.write_text(edited, encoding="utf-8")  # the temporary file is ready; the replace is next

    monkeypatch.setattr(os, "fsync", fsync_then_edit)
    with pytest.raises(UnsafeWriteError) as error:
        rewrite(snap, ANNOTATED)
    one_line(error, "test_a.py", "changed")
    assert path.read_text(encoding="utf-8") == edited
    assert leftovers(tmp_path) == []


def test_a_file_replaced_by_a_fifo_is_refused(tmp_path: Path) -> None:
    path = make(tmp_path / "test_a.py", ORIGINAL.encode())
    snap = snapshot(path)
    path.unlink()
    os.mkfifo(path)
    raised = without_blocking(lambda: rewrite(snap, ANNOTATED), path)
    assert isinstance(raised, UnsafeWriteError) and "test_a.py" in str(raised)
    assert stat.S_ISFIFO(os.lstat(path).st_mode)


def test_a_symlink_pointed_elsewhere_since_it_was_read_is_refused(tmp_path: Path) -> None:
    first = make(tmp_path / "first.py", ORIGINAL.encode())
    second = make(tmp_path / "second.py", ORIGINAL.encode())
    link = tmp_path / "test_a.py"
    link.symlink_to(first)
    snap = snapshot(link)
    link.unlink()
    link.symlink_to(second)
    with pytest.raises(UnsafeWriteError):
        rewrite(snap, ANNOTATED)
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8") == ORIGINAL


def test_verify_passes_for_an_unchanged_file(tmp_path: Path) -> None:
    path = make(tmp_path / "test_a.py", ORIGINAL.encode())
    snap = snapshot(path)
    files.verify(snap)
    os.utime(path, ns=(snap.mtime_ns + 10**9, snap.mtime_ns + 10**9))  # touched: possibly edited
    with pytest.raises(UnsafeWriteError):
        files.verify(snap)


# --- a generator's output -------------------------------------------------------------------------------

PROTOCOL = "class P: ...\n"


def test_output_into_a_fifo_is_refused_and_it_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "out.py"
    os.mkfifo(fifo)
    raised = without_blocking(lambda: write_output(fifo, PROTOCOL, sources=[]), fifo)
    assert isinstance(raised, UnsafeWriteError) and "out.py" in str(raised) and "not a regular file" in str(raised)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_into_a_character_device_is_refused(tmp_path: Path) -> None:
    before = os.stat("/dev/null")
    with pytest.raises(UnsafeWriteError) as error:
        write_output(Path("/dev/null"), PROTOCOL, sources=[])
    one_line(error, "/dev/null", "not a regular file")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_output_over_a_source_through_a_symlink_is_refused(tmp_path: Path) -> None:
    source = make(tmp_path / "src" / "cart.py", b"class Cart: ...\n")
    alias = tmp_path / "alias.py"
    alias.symlink_to(source)
    with pytest.raises(UnsafeWriteError) as error:
        write_output(alias, PROTOCOL, sources=[source])
    one_line(error, "alias.py", "source")
    assert alias.is_symlink() and source.read_bytes() == b"class Cart: ...\n"


def test_output_over_a_source_through_a_hard_link_is_refused(tmp_path: Path) -> None:
    source = make(tmp_path / "src" / "cart.py", b"class Cart: ...\n")
    linked = tmp_path / "linked.py"
    os.link(source, linked)
    with pytest.raises(UnsafeWriteError) as error:
        write_output(linked, PROTOCOL, sources=[source])
    one_line(error, "linked.py", "source")
    assert source.read_bytes() == linked.read_bytes() == b"class Cart: ...\n"


def test_output_creates_missing_folders(tmp_path: Path) -> None:
    out = tmp_path / "contracts" / "generated" / "p.py"
    write_output(out, PROTOCOL, sources=[])
    assert out.read_text(encoding="utf-8") == PROTOCOL


def test_output_keeps_the_existing_mode(tmp_path: Path) -> None:
    out = make(tmp_path / "p.py", b"old\n")
    os.chmod(out, MODE)
    write_output(out, PROTOCOL, sources=[])
    assert out.read_text(encoding="utf-8") == PROTOCOL
    assert stat.S_IMODE(os.stat(out).st_mode) == MODE
    assert leftovers(tmp_path) == []


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = make(tmp_path / "real" / "p.py", b"old\n")
    link = tmp_path / "p.py"
    link.symlink_to(target)
    write_output(link, PROTOCOL, sources=[])
    assert link.is_symlink() and target.read_text(encoding="utf-8") == PROTOCOL
