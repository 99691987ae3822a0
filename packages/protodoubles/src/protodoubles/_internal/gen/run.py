"""The generator's runs, as values: render a target, compare it with the file on disk, write it.

The command line (``gen/cli.py``), the public ``generate``/``check`` and the pytest plugin all go through
here; nothing here prints. The generator itself (griffe and the render stages) is imported only by a run
that renders: a ``--check`` whose every target is recorded fresh never loads it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple

from protodoubles._internal.config import Options, Project
from protodoubles._internal.errors import GenerationError
from protodoubles._internal.files import NOT_REGULAR, UnsafeWriteError, is_regular_or_missing, write_output
from protodoubles._internal.gen.results import Generated, StaleProtocol

DriftReport = Callable[[str | None, str], list[str]]


class Rendering(NamedTuple):
    """A generated protocol with what a check and a freshness record need."""

    options: Options
    generated: Generated
    report: DriftReport
    files: tuple[Path, ...]  # every file the generator read
    folders: tuple[str, ...]  # the search path


def render(options: Options, project: Project) -> Rendering:
    """The protocol for ``options``: nothing is written; an invalid protocol is a GenerationError."""
    from protodoubles._internal.gen.load.target import load_class, parse_target

    target = parse_target(options.source, project.root, project.search_path)
    name = options.protocol_name
    if options.follow:
        from protodoubles._internal.gen.render.family import build_family, family_drift_lines, parse_follow, render_family

        follows = [parse_follow(text) for text in options.follow]
        cls, loader = load_class(target, focus=False)
        family = build_family(cls, loader, name, follows, include_private=options.include_private)
        rendered = render_family(family, loader, target_spec=options.source, regenerate=options.regenerate)
        report: DriftReport = partial(family_drift_lines, family=family)
        shown = f"{name} and {len(family) - 1} followed"
    else:
        from protodoubles._internal.gen.render.module import generate

        cls, loader = load_class(target)
        rendered = generate(
            cls,
            loader,
            protocol_name=name,
            target_spec=options.source,
            regenerate=options.regenerate,
            include_private=options.include_private,
        )
        report, shown = partial(_drift_lines, name=name), name
    _validate(rendered.text, options)
    strength = f"{shown} ({rendered.members} members): {rendered.strength()}"
    generated = Generated(options.source, name, options.output, rendered.text, rendered.members, strength, tuple(rendered.warnings))
    files = tuple(loader.read_files())
    return Rendering(options, generated, report, files, tuple(loader.search_paths))


def _drift_lines(old_text: str | None, new_text: str, name: str) -> list[str]:
    """The drift report of a stale protocol: its module, griffe's API diff, loads only for a stale file (it
    loads the whole of griffe; see protodoubles._internal.gen.lazy_griffe)."""
    from protodoubles._internal.gen.check.drift import drift_lines

    return drift_lines(old_text, new_text, name=name)


def _validate(text: str, options: Options) -> None:
    """Parse and compile the protocol before anything is written: never write invalid Python."""
    try:
        compile(text, str(options.output or "<protocol>"), "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        where = f"line {exc.lineno}: {exc.msg}" if isinstance(exc, SyntaxError) else str(exc)
        raise GenerationError(f"{options.source}: the generated protocol is not valid Python ({where}); nothing written") from None


_NOT_REGULAR = f"{NOT_REGULAR}; give a file path as output"


def read_output(path: Path) -> str | None:
    """The generated file on disk (None: there is none); never opens what is not a regular file."""
    if not is_regular_or_missing(path):
        raise GenerationError(f"{path}: {_NOT_REGULAR}")
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):  # a new path (one whose folder is a file fails when written)
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise GenerationError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None


def refuse_foreign_output(options: Options) -> None:
    """An existing output must be a protocol this tool wrote (not, say, the class's own source): its first
    bytes are read, never the whole file."""
    path = options.output
    if path is None:
        return
    from protodoubles._internal.gen.render.module import HEADER, OLD_HEADERS

    if not is_regular_or_missing(path):
        raise GenerationError(f"{path}: {_NOT_REGULAR}")
    longest = max(len(h) for h in (HEADER, *OLD_HEADERS))
    try:
        with open(path, "rb") as handle:
            first = handle.read(longest)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as exc:
        raise GenerationError(f"{path}: cannot read: {exc.strerror}") from None
    if not first.startswith(tuple(h.encode() for h in (HEADER, *OLD_HEADERS))):
        raise GenerationError(f"{options.output}: exists and is not a generated protocol; pass --force to overwrite it")


def compare(rendering: Rendering, root: Path) -> StaleProtocol | None:
    """None when the file on disk is what the class gives now; else what changed."""
    generated = rendering.generated
    assert generated.output is not None
    on_disk = read_output(generated.output)
    if on_disk == generated.text:
        return None
    from protodoubles._internal.gen.check.drift import unified_diff

    shown = os.path.relpath(generated.output, root)
    drift = tuple(rendering.report(on_disk, generated.text))
    regenerate = rendering.options.regenerate
    return StaleProtocol(generated.output, generated.source, regenerate, drift, unified_diff(on_disk, generated.text, shown))


def write(rendering: Rendering) -> None:
    """Write the protocol: a regular file or a new path, never a file the run read as a source."""
    generated = rendering.generated
    assert generated.output is not None
    try:
        write_output(generated.output, generated.text, sources=rendering.files)
    except UnsafeWriteError as exc:
        raise GenerationError(str(exc)) from None


def key_of(options: Options) -> str:
    """What a freshness record is kept under: everything that shapes the output."""
    return repr((options.source, options.protocol_name, options.include_private, options.follow, str(options.output), options.regenerate))


class Checked(NamedTuple):
    stale: tuple[StaleProtocol, ...]
    fresh: tuple[Path, ...]  # compared equal, or recorded fresh and not generated again


def check_all(targets: Sequence[Options], project: Project, *, keep_records: bool) -> Checked:
    """Compare every target with its file; with ``keep_records``, a target recorded fresh is skipped and
    fresh ones are recorded (protodoubles._internal.gen.check.fresh)."""
    keys = [key_of(options) for options in targets]
    configured = frozenset(keys) if keep_records else frozenset[str]()
    if configured:
        from protodoubles._internal.gen.check import fresh as known
    stale: list[StaleProtocol] = []
    fresh: list[Path] = []
    for options, key in zip(targets, keys, strict=True):
        if options.output is None:
            raise GenerationError("--check needs an output file to compare with (-o)")
        if key in configured and known.known_fresh(project.root, key):
            fresh.append(options.output)
            continue
        rendering = render(options, project)
        found = compare(rendering, project.root)
        if found is not None:
            stale.append(found)
            continue
        fresh.append(options.output)
        if key in configured:
            known.remember(project.root, key, options.output, rendering.files, _folders(rendering, project), configured)
    return Checked(tuple(stale), tuple(fresh))


def remember_written(rendering: Rendering, project: Project, targets: Sequence[Options]) -> None:
    from protodoubles._internal.gen.check import fresh as known

    options = rendering.options
    assert options.output is not None
    configured = frozenset(key_of(o) for o in targets)
    known.remember(project.root, key_of(options), options.output, rendering.files, _folders(rendering, project), configured)


def _folders(rendering: Rendering, project: Project) -> list[str]:
    root = project.root.resolve()
    return [f for f in rendering.folders if Path(f).resolve() != root]  # the record lives under the root
