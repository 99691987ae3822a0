"""Writing a user's file without harming it.

A file is read once into a :class:`Snapshot`; :func:`rewrite` writes it back only if it is still exactly what
was read, through symlinks, keeping its newline style, BOM, mode, owner and hard links. :func:`write_output`
writes a generated file: only a regular file or a new path, never a file the run read as a source.
Nothing here ever opens a path before checking that it is a regular file (a FIFO would block).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

_NEWLINE = re.compile(r"\r\n|\r|\n")
NOT_REGULAR = "not a regular file (a device, FIFO, socket or folder)"
_CHANGED = "changed on disk since it was read (edited meanwhile?); not written, run again"


class UnsafeWriteError(Exception):
    """A file that cannot be read or written safely; the message is one line naming the path and the reason."""


def _error(path: Path | str, reason: str) -> UnsafeWriteError:
    shown = str(path).replace("\n", "\\n").replace("\r", "\\r")
    return UnsafeWriteError(f"{shown}: {reason}")


def _reason(exc: OSError) -> str:
    return str(exc.strerror or exc).replace("\n", " ")


@dataclass(frozen=True)
class Snapshot:
    """A file as read: its bytes, what identifies them on disk, and its text with "\\n" newlines."""

    path: Path  # as given (a symlink stays a symlink)
    target: Path  # the regular file it resolves to: what is rewritten
    data: bytes = field(repr=False)
    device: int
    inode: int
    size: int
    mtime_ns: int
    sha256: str
    text: str = field(repr=False)  # decoded, BOM removed, every line ending turned into "\n"
    newline: str  # "\r\n", "\n" or "\r": the first line ending ("\n" when there is none)
    bom: bool


def is_regular_or_missing(path: Path) -> bool:
    """False only when something other than a regular file is at ``path`` (following symlinks): a device,
    FIFO, socket or folder. A path that cannot be looked at counts as missing: opening it fails by itself."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


@contextlib.contextmanager
def _opened(path: Path, shown: Path, flags: int) -> Iterator[int]:
    """A descriptor on the regular file ``path`` (never a symlink), checked regular before and after opening."""
    before = os.lstat(path)
    if stat.S_ISLNK(before.st_mode):
        raise _error(shown, _CHANGED)
    if not stat.S_ISREG(before.st_mode):
        raise _error(shown, NOT_REGULAR)
    fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _error(shown, NOT_REGULAR)
        yield fd
    finally:
        os.close(fd)


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks: list[bytes] = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def snapshot(path: Path) -> Snapshot:
    """Read ``path`` (through symlinks) as UTF-8 text, with or without a BOM."""
    try:
        target = path.resolve(strict=True)
        with _opened(target, path, os.O_RDONLY) as fd:
            info = os.fstat(fd)
            data = _read_all(fd)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        raise _error(path, f"cannot read: {_reason(exc) if isinstance(exc, OSError) else exc}") from None
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        raw = data[len(codecs.BOM_UTF8) :].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start + (len(codecs.BOM_UTF8) if bom else 0)
        raise _error(path, f"cannot read: not UTF-8 text (byte {at}: {exc.reason})") from None
    first = _NEWLINE.search(raw)
    return Snapshot(
        path=path,
        target=target,
        data=data,
        device=info.st_dev,
        inode=info.st_ino,
        size=info.st_size,
        mtime_ns=info.st_mtime_ns,
        sha256=_sha256(data),
        text=raw.replace("\r\n", "\n").replace("\r", "\n"),
        newline=first.group() if first else "\n",
        bom=bom,
    )


def _sha256(data: bytes) -> str:
    import hashlib  # snapshots of files to rewrite only: a gen-protocol run does not load it

    return hashlib.sha256(data).hexdigest()


def _check_same(snap: Snapshot, info: os.stat_result, data: bytes) -> None:
    same = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns) == (snap.device, snap.inode, snap.size, snap.mtime_ns)
    if not same or _sha256(data) != snap.sha256:
        raise _error(snap.path, _CHANGED)


def verify(snap: Snapshot) -> None:
    """Raise UnsafeWriteError unless the file on disk is still exactly the one read into ``snap``."""
    try:
        if snap.path.resolve(strict=True) != snap.target:
            raise _error(snap.path, _CHANGED)
        with _opened(snap.target, snap.path, os.O_RDONLY) as fd:
            _check_same(snap, os.fstat(fd), _read_all(fd))
    except FileNotFoundError:
        raise _error(snap.path, _CHANGED) from None
    except (OSError, RuntimeError) as exc:
        raise _error(snap.path, f"cannot read: {_reason(exc) if isinstance(exc, OSError) else exc}") from None


def _encode(snap: Snapshot, new_text: str) -> bytes:
    """``new_text`` (with "\\n" newlines) as the file's bytes: its newline style and BOM."""
    raw = (snap.data[len(codecs.BOM_UTF8) :] if snap.bom else snap.data).decode("utf-8")
    endings = _NEWLINE.findall(raw)
    if all(ending == snap.newline for ending in endings):
        body = new_text if snap.newline == "\n" else new_text.replace("\n", snap.newline)
    else:
        body = _mixed(_NEWLINE.split(raw), endings, new_text.split("\n"), snap.newline)
    return (codecs.BOM_UTF8 if snap.bom else b"") + body.encode("utf-8")


def _mixed(old: list[str], endings: list[str], new: list[str], default: str) -> str:
    """A file with mixed line endings: each line the edit kept keeps its own ending; new lines get ``default``."""
    import difflib  # a file with mixed line endings only: not loaded on an ordinary run

    chosen = [default] * (len(new) - 1)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if i < len(endings) and j < len(chosen):
                    chosen[j] = endings[i]
    return "".join(line + ending for line, ending in zip(new, [*chosen, ""], strict=True))


def rewrite(snap: Snapshot, new_text: str) -> None:
    """Write ``new_text`` (with "\\n" newlines) over the file read into ``snap``, as that file: through its
    symlink, in its newline style, with its BOM, mode, owner and hard links. Raises UnsafeWriteError, leaving
    the file as it is, when it is no longer what was read or is not a regular file."""
    try:
        data = _encode(snap, new_text)
    except UnicodeEncodeError as exc:
        raise _error(snap.path, f"cannot write: the new text is not UTF-8 ({exc.reason})") from None
    try:
        verify(snap)
        info = os.stat(snap.target, follow_symlinks=False)
        if info.st_nlink > 1:
            _in_place(snap, data)
        else:
            _replace(snap.target, data, info, partial(verify, snap))
    except FileNotFoundError:
        raise _error(snap.path, _CHANGED) from None
    except OSError as exc:
        raise _error(snap.path, f"cannot write: {_reason(exc)}") from None


def _in_place(snap: Snapshot, data: bytes) -> None:
    """Write into the same inode, so every hard link sees the new text (checked again once opened)."""
    with _opened(snap.target, snap.path, os.O_RDWR) as fd:
        _check_same(snap, os.fstat(fd), _read_all(fd))
        os.lseek(fd, 0, os.SEEK_SET)
        _write_all(fd, data)
        os.ftruncate(fd, len(data))
        os.fsync(fd)


def _keep_owner(fd: int, like: os.stat_result) -> None:
    """The owner and group of ``like`` where permitted: the group alone, or neither, otherwise."""
    for uid in (like.st_uid, -1):
        try:
            os.fchown(fd, uid, like.st_gid)
            return
        except PermissionError:
            continue


def _temp(target: Path) -> tuple[int, Path]:
    """A new file beside ``target``, created with the default mode (0o666 less the umask)."""
    for _ in range(100):
        temp = target.with_name(f".{target.name[:200]}.{os.urandom(4).hex()}.tmp")  # as secrets.token_hex(4), without its imports
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target.name}")


def _replace(target: Path, data: bytes, like: os.stat_result | None, recheck: Callable[[], object]) -> None:
    """Write ``data`` to a temporary file beside ``target``, fsync it, run ``recheck`` and rename it over
    ``target``; with ``like``, the mode and owner are kept. The temporary file never outlives an error."""
    fd, temp = _temp(target)
    try:
        try:
            _write_all(fd, data)
            if like is not None:
                _keep_owner(fd, like)
                os.fchmod(fd, stat.S_IMODE(like.st_mode))  # after chown, which may clear set-id bits
            os.fsync(fd)
        finally:
            os.close(fd)
        recheck()
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _check_output(path: Path, target: Path, sources: tuple[Path, ...]) -> os.stat_result | None:
    """The existing output's status (None: it is a new path); refuses anything but a regular file, and a
    file that is one of ``sources`` however reached (symlink or hard link)."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise _error(path, f"{NOT_REGULAR}; nothing written, give a file path")
    for source in sources:
        try:
            seen = os.stat(source)
        except OSError:
            continue
        if (seen.st_dev, seen.st_ino) == (info.st_dev, info.st_ino):
            raise _error(path, f"is a source file this run read ({source}); not overwritten")
    return info


def write_output(path: Path, text: str, *, sources: Iterable[Path]) -> None:
    """Write a generated file at ``path`` (through a symlink), creating missing folders: only over a regular
    file, keeping its mode, or at a new path; never over a file that is one of ``sources``."""
    try:
        target = Path(os.path.realpath(path))
        check = partial(_check_output, path, target, tuple(sources))
        like = check()
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, text.encode("utf-8"), like, check)
    except UnicodeEncodeError as exc:
        raise _error(path, f"cannot write: the text is not UTF-8 ({exc.reason})") from None
    except OSError as exc:
        raise _error(path, f"cannot write: {_reason(exc)}") from None
