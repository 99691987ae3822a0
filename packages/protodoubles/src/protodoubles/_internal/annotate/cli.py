"""Command line of the fixture annotator (``annotate-fixtures``, ``python tools/annotate_tests.py``)."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from protodoubles._internal import files
from protodoubles._internal.annotate.fresh import Records
from protodoubles._internal.config import annotate_excludes
from protodoubles._internal.errors import AnnotateError, ConfigError
from protodoubles._internal.root import PYTEST_MARKERS, find_root

if TYPE_CHECKING:  # the planner (and griffe) is imported only by a run that has a file to plan
    from protodoubles._internal.annotate.plan import Plan

EXIT_OK, EXIT_PENDING, EXIT_BAD_INPUT = 0, 1, 2
_NORECURSE = frozenset({"_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}", "__pycache__"})

DESCRIPTION = """\
Give every fixture parameter of your tests (and of your fixtures) the type of the fixture it resolves to,
resolved as pytest does: the test's class, its module, the conftest.py files up to the root, then pytest's
built-in fixtures. Tests also get `-> None`. Only annotations and the imports they need are added, so mypy
checks test bodies against your types (an unannotated parameter is Any, and Any hides every drift).

Folders listed under [tool.annotate_fixtures] exclude = [...] in pyproject.toml are skipped. A file that
--check or --diff finds clean is recorded in .protodoubles_cache/ beside the project root, and read again
only once it, a conftest.py or __init__.py above it, or a module its fixtures' types were looked up in changed.
"""

EPILOG = """\
exit status:
  0  written (or, with --check/--diff, nothing to change)
  1  --check or --diff: some annotation is missing (listed, or shown as a diff)
  2  bad input: a missing path, a syntax error, a fixture cycle; nothing is written. Also a file that
     changed on disk while the tool ran (an editor saved it): it is left as it is, and nothing is
     written unless the change came after writing began
"""


def is_test_file(path: Path) -> bool:
    return path.suffix == ".py" and (path.name.startswith("test_") or path.stem.endswith("_test"))


def collect(paths: Sequence[str], skip: list[Path]) -> list[Path]:
    found: list[Path] = []
    for given in paths:
        path = Path(given).resolve()
        if not path.exists():
            raise AnnotateError(f"{given}: no such file or directory")
        if not path.is_dir() and not files.is_regular_or_missing(path):
            raise AnnotateError(f"{given}: not a regular file or folder")
        candidates = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in candidates:
            if any(folder == file or folder in file.parents for folder in skip) or _ignored_folder(file, path):
                continue
            if file.name == "conftest.py" or is_test_file(file) or file == path:
                found.append(file)
    unique: dict[tuple[int, int] | Path, Path] = {}
    for file in found:
        unique.setdefault(_identity(file), file)  # a file and a symlink or hard link to it: planned and written once
    return list(unique.values())


def _identity(file: Path) -> tuple[int, int] | Path:
    """What is written when ``file`` is: names (symlinks, hard links) of one file are one file."""
    try:
        info = os.stat(file)
    except OSError:
        return file
    return info.st_dev, info.st_ino


def _ignored_folder(file: Path, given: Path) -> bool:
    """Folders pytest does not recurse into by default (norecursedirs), and virtual environments."""
    for folder in file.parents:
        if folder == given or given not in folder.parents:
            break
        name = folder.name
        if name.startswith(".") or name in _NORECURSE or name.endswith(".egg") or (folder / "pyvenv.cfg").is_file():
            return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="annotate-fixtures", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", default=["."], help="test files or folders (default: .)")
    parser.add_argument("--check", action="store_true", help="write nothing; list what would change and exit 1 if anything would")
    parser.add_argument("--diff", action="store_true", help="write nothing; print the changes as a unified diff, exit 1 if any")
    args = parser.parse_args(argv)
    try:
        first = Path(args.paths[0]).resolve()
        root = find_root(first if first.is_dir() else first.parent, PYTEST_MARKERS)
        known = Records(root)
        stale = [file for file in collect(args.paths, annotate_excludes(root)) if not known.clean(file)]
        plans = _plan(stale, root, known)  # all planned before any write
        changed = [(plan, plan.render()) for plan in plans if plan.edits]
        for plan in plans:
            for report in plan.reports:
                print(f"annotate-fixtures: {_relative(report, root)}", file=sys.stderr)
        wrong = [_relative(line, root) for plan in plans for line in plan.wrong]
        for line in wrong:  # never rewritten: the author of the annotation decides which type is meant
            print(line)
        if args.check or args.diff:
            for plan, text in changed:
                if args.diff:
                    shown = _relative(str(plan.source.path), root)
                    sys.stdout.writelines(
                        difflib.unified_diff(plan.source.text.splitlines(True), text.splitlines(True), f"a/{shown}", f"b/{shown}")
                    )
                else:
                    for edit in sorted(plan.edits, key=lambda e: (e.line, e.column)):
                        if edit.what:
                            print(_relative(edit.what, root))
            count = sum(_annotations(plan) for plan, _ in changed)
            print(
                f"annotate-fixtures: {count} annotation(s) missing in {len(changed)} file(s)"
                if changed
                else "annotate-fixtures: every fixture parameter is annotated",
                file=sys.stderr,
            )
            if wrong:
                print(f"annotate-fixtures: {len(wrong)} parameter(s) annotated otherwise than their fixture gives", file=sys.stderr)
            known.save(stale)
            return EXIT_PENDING if changed or wrong else EXIT_OK
        for plan, _ in changed:  # a file edited meanwhile: nothing is written at all
            files.verify(plan.source.snapshot)
        for plan, text in changed:
            files.rewrite(plan.source.snapshot, text)  # checked again right before it is replaced
            print(f"annotated {_relative(str(plan.source.path), root)}: {_annotations(plan)} annotation(s)")
    except (AnnotateError, ConfigError, files.UnsafeWriteError) as exc:
        print(f"annotate-fixtures: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _plan(stale: list[Path], root: Path, known: Records) -> list[Plan]:
    """Plan every file not known clean, in order; record those found clean (nothing to add or report)."""
    if not stale:
        return []
    from protodoubles._internal.annotate.plan import Planner
    from protodoubles._internal.annotate.reader import Library
    from protodoubles._internal.annotate.resolve import Resolver

    library = Library(root)
    resolver = Resolver(root, library)
    planner = Planner(resolver)
    observed = [known.observe(file) for file in stale]  # before the planning reads them
    plans = [planner.plan(resolver.source(file)) for file in stale]
    for file, seen, plan in zip(stale, observed, plans, strict=True):
        if not plan.edits and not plan.reports and not plan.wrong:
            known.remember(file, seen, library.looked_up)
    return plans


def _annotations(plan: Plan) -> int:
    return sum(1 for edit in plan.edits if edit.what)


def _relative(text: str, root: Path) -> str:
    return text.replace(f"{root}/", "")
