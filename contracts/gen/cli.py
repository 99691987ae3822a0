"""Command line of the Protocol generator (``python tools/gen_protocol.py``, ``gen-protocol``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from contracts.gen.target import GenerationError, load_class, parse_target

EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT = 0, 1, 2

DESCRIPTION = """\
Generate a typing.Protocol from a class, statically: griffe reads the source and nothing is imported.

With no TARGET, regenerate every target listed under [tool.gen_protocol] in pyproject.toml:

    [[tool.gen_protocol.targets]]
    source = "byok.handler:BYOKHandler"      # TARGET, as below
    output = "contracts/byok_protocol.py"    # relative to pyproject.toml
    name = "BYOKProtocol"                    # optional; default <Class>Protocol
    include_private = false                  # optional
    follow = ["chat.completions", "models"]  # optional: a protocol family, see --follow

TARGET is 'package.module:Class' (found on the search path: the project folder, then sys.path) or
'path/to/file.py:Class' (the file need not be importable; its own imports need not be installed).
"""

EPILOG = """\
exit status:
  0  written, or --check found every file fresh
  1  --check found a file stale (a drift report and a unified diff are printed)
  2  bad input: missing file, syntax error, class not found, malformed target, unwritable output,
     a --follow path that does not exist (with the nearest matches)
"""


@dataclass(frozen=True)
class Job:
    source: str
    output: Path | None  # None: standard output
    name: str
    include_private: bool
    regenerate: str
    follow: tuple[str, ...] = ()  # dotted attribute paths: a protocol family (contracts.gen.family)


def find_root(start: Path) -> Path:
    for folder in [start, *start.parents]:
        if (folder / "pyproject.toml").is_file():
            return folder
    return start


def configured_jobs(root: Path) -> list[Job]:
    import tomllib  # only the configured run reads TOML

    path = root / "pyproject.toml"
    if not path.is_file():
        raise GenerationError(f"no TARGET given and no pyproject.toml in {root} or above")
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("gen_protocol", {})
    except tomllib.TOMLDecodeError as exc:
        raise GenerationError(f"{path}: {exc}") from None
    targets = config.get("targets", [])
    if not targets:
        raise GenerationError(f"no TARGET given and {path} has no [[tool.gen_protocol.targets]]")
    jobs = []
    for index, entry in enumerate(targets):
        if not isinstance(entry, dict) or not isinstance(entry.get("source"), str) or not isinstance(entry.get("output"), str):
            raise GenerationError(f"{path}: tool.gen_protocol.targets[{index}] needs string 'source' and 'output'")
        name = entry.get("name") or _default_name(entry["source"])
        follow = entry.get("follow", [])
        if not isinstance(follow, list) or not all(isinstance(item, str) for item in follow):
            raise GenerationError(f"{path}: tool.gen_protocol.targets[{index}].follow must be a list of strings")
        jobs.append(
            Job(entry["source"], root / entry["output"], name, bool(entry.get("include_private")), "python tools/gen_protocol.py", tuple(follow))
        )
    return jobs


def _default_name(source: str) -> str:
    return source.rpartition(":")[2].split(".")[-1] + "Protocol"


DriftReport = Callable[[str | None, str], list[str]]


def render(job: Job, root: Path) -> tuple[str, str, DriftReport]:
    """The protocol text for a job, its contract-strength line and its drift reporter; warnings go to stderr."""
    target = parse_target(job.source, root)
    if job.follow:
        from contracts.gen.family import build_family, family_drift_lines, parse_follow, render_family

        follows = [parse_follow(text) for text in job.follow]
        cls, loader = load_class(target)
        family = build_family(cls, loader, job.name, follows, include_private=job.include_private)
        rendered = render_family(family, loader, target_spec=job.source, regenerate=job.regenerate)
        report: DriftReport = partial(family_drift_lines, family=family)
        shown = f"{job.name} and {len(family) - 1} followed"
    else:
        from contracts.gen.drift import drift_lines
        from contracts.gen.module import generate

        cls, loader = load_class(target)
        rendered = generate(
            cls, loader, protocol_name=job.name, target_spec=job.source, regenerate=job.regenerate, include_private=job.include_private
        )
        report, shown = partial(drift_lines, name=job.name), job.name
    for warning in rendered.warnings:
        print(f"warning: {job.source}: {warning}", file=sys.stderr)
    return rendered.text, f"{shown} ({rendered.members} members): {rendered.strength()}", report


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` whole, or leave it as it was."""
    folder = path.parent
    if not folder.is_dir():
        raise GenerationError(f"{path}: cannot write: folder {folder} does not exist")
    temp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        with open(temp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise GenerationError(f"{path}: cannot write: {exc.strerror}") from None


def check(job: Job, text: str, root: Path, report: DriftReport) -> bool:
    """Print the drift report and diff for a stale file; True when the file is fresh."""
    assert job.output is not None
    try:
        on_disk: str | None = job.output.read_text(encoding="utf-8")
    except FileNotFoundError:
        on_disk = None
    if on_disk == text:
        return True
    from contracts.gen.drift import unified_diff

    shown = os.path.relpath(job.output, root)
    print(f"{shown}: stale; regenerate with: {job.regenerate}")
    for line in report(on_disk, text):
        print(f"  - {line}")
    print(unified_diff(on_disk, text, shown), end="")
    return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="gen_protocol", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", nargs="?", help="package.module:Class or path/to/file.py:Class")
    parser.add_argument("-o", "--output", help="file to write (default: standard output); with TARGET only")
    parser.add_argument("--name", help="protocol class name (default: <Class>Protocol)")
    parser.add_argument("--include-private", action="store_true", help="also members whose names start with _")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is stale")
    parser.add_argument(
        "--follow",
        action="append",
        default=[],
        metavar="PATH[=NAME]",
        help="also write a protocol for the class of attribute PATH (e.g. chat.completions), one per class along it, "
        "typed into its parent; NAME overrides that protocol's name; repeatable",
    )
    args = parser.parse_args(argv)
    root = find_root(Path.cwd())
    try:
        if args.target is None:
            if args.output or args.name or args.include_private or args.follow:
                raise GenerationError("-o, --name, --include-private and --follow go with a TARGET")
            jobs = configured_jobs(root)
        else:
            command = ["python tools/gen_protocol.py", args.target]
            command += [f"-o {args.output}"] if args.output else []
            command += [f"--name {args.name}"] if args.name else []
            command += ["--include-private"] if args.include_private else []
            command += [f"--follow {path}" for path in args.follow]
            output = Path(args.output).resolve() if args.output and args.output != "-" else None
            name = args.name or _default_name(args.target)
            jobs = [Job(args.target, output, name, args.include_private, " ".join(command), tuple(args.follow))]
        if args.check and any(job.output is None for job in jobs):
            raise GenerationError("--check needs an output file to compare with (-o)")
        texts = [render(job, root) for job in jobs]  # everything renders before anything is written
        fresh = True
        for job, (text, strength, report) in zip(jobs, texts, strict=True):
            if args.check:
                fresh = check(job, text, root, report) and fresh
            elif job.output is None:
                sys.stdout.write(text)
                print(strength, file=sys.stderr)
            else:
                write_atomically(job.output, text)
                print(f"wrote {os.path.relpath(job.output, root)}; {strength}")
    except GenerationError as exc:
        print(f"gen_protocol: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.check:
        if fresh:
            print(f"gen_protocol: {len(jobs)} protocol(s) fresh")
        return EXIT_OK if fresh else EXIT_STALE
    return EXIT_OK
