"""Command line of the Protocol generator (``gen-protocol``): arguments in, lines out; the work is in ``gen/run.py``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from protodoubles._internal.config import Options, Project, read_project
from protodoubles._internal.errors import GenerationError
from protodoubles._internal.gen.run import check_all, refuse_foreign_output, remember_written, render, write
from protodoubles._internal.root import find_root

EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT = 0, 1, 2

DESCRIPTION = """\
Generate a typing.Protocol from a class, statically: griffe reads the source and nothing is imported.

With no TARGET, regenerate every target listed under [tool.gen_protocol] in pyproject.toml:

    [tool.gen_protocol]
    search_path = ["src"]                    # optional: where the project's modules are (a src/ layout
                                             # is found on its own); then sys.path
    command = "gen-protocol"                 # optional: the command generated headers name

    [[tool.gen_protocol.targets]]
    source = "shop.cart:Cart"                # TARGET, as below
    output = "tests/protocols/cart.py"       # relative to pyproject.toml; folders are created
    name = "CartProtocol"                    # optional; default <Class>Protocol
    include_private = false                  # optional
    follow = ["items"]                       # optional: a protocol family, see --follow

TARGET is 'package.module:Class' (found in the project folder, its search_path, then sys.path) or
'path/to/file.py:Class' (the file need not be importable; its own imports need not be installed).
"""

EPILOG = """\
exit status:
  0  written, or --check found every file fresh
  1  --check found a file stale (a drift report and a unified diff are printed)
  2  bad input: missing file, syntax error, NUL bytes or binary source, class not found, malformed
     target, a bad [tool.gen_protocol] value, unwritable output, an output that is not a regular file
     or is a file the class is read from, an output file that is not a generated protocol (without --force),
     or a protocol that would not be valid Python (nothing is written then); a --follow path that
     does not exist (with the nearest matches); a standard output that cannot be written (closed,
     full, or its reader gone: one line on stderr)
"""


def run_jobs(targets: Sequence[Options], project: Project, *, check_only: bool, keep_records: bool) -> bool:
    """Render every target before anything is written, then write each (or, ``check_only``, compare it
    with the file on disk and print its drift); True when every compared file is fresh. With
    ``keep_records`` (the configured targets) freshness is recorded; a one-off run leaves no trace."""
    if check_only:
        checked = check_all(targets, project, keep_records=keep_records)
        for stale in checked.stale:
            print(*stale.report(project.root), sep="\n")
            print(stale.diff, end="")
        return not checked.stale
    renderings = [render(options, project) for options in targets]  # every one before anything is written
    for rendering in renderings:
        generated = rendering.generated
        for warning in generated.warnings:
            print(f"warning: {generated.source}: {warning}", file=sys.stderr)
        if generated.output is None:
            write_stdout(generated.text)
            print(generated.strength, file=sys.stderr)
            continue
        write(rendering)
        print(f"wrote {os.path.relpath(generated.output, project.root)}; {generated.strength}")
        if keep_records:
            remember_written(rendering, project, targets)
    return True


def write_stdout(text: str) -> None:
    """The protocol on standard output, whole, or a GenerationError saying why it could not be written."""
    if sys.stdout is None:
        raise GenerationError("standard output is closed; nothing written (write to a file with -o)")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (OSError, ValueError) as exc:  # ValueError: a closed stream
        raise GenerationError(f"cannot write standard output: {getattr(exc, 'strerror', None) or exc}") from None


def _one_off(args: argparse.Namespace, project: Project) -> Options:
    command = [project.command, args.target]
    command += [f"-o {args.output}"] if args.output else []
    command += [f"--name {args.name}"] if args.name else []
    command += ["--include-private"] if args.include_private else []
    command += [f"--follow {path}" for path in args.follow]
    output = Path(args.output).resolve() if args.output and args.output != "-" else None
    return Options(args.target, output, args.name, args.include_private, tuple(args.follow), " ".join(command))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="gen_protocol", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", nargs="?", help="package.module:Class or path/to/file.py:Class")
    parser.add_argument("-o", "--output", help="file to write (default: standard output); with TARGET only")
    parser.add_argument("--name", help="protocol class name (default: <Class>Protocol)")
    parser.add_argument("--include-private", action="store_true", help="also members whose names start with _")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is stale")
    parser.add_argument("--force", action="store_true", help="overwrite an output file that is not a generated protocol")
    parser.add_argument(
        "--follow",
        action="append",
        default=[],
        metavar="PATH[=NAME]",
        help="also write a protocol for the class of attribute PATH (e.g. chat.completions), one per class along it, "
        "typed into its parent; NAME overrides that protocol's name; repeatable",
    )
    args = parser.parse_args(argv)
    try:
        project = read_project(find_root(Path.cwd()))
        if args.target is None:
            if args.output or args.name or args.include_private or args.follow:
                raise GenerationError("-o, --name, --include-private and --follow go with a TARGET")
            if not project.targets:
                where = project.root / "pyproject.toml"
                raise GenerationError(f"no TARGET given and {where} has no [[tool.gen_protocol.targets]]")
            targets = project.targets
        else:
            targets = (_one_off(args, project),)
        if args.check and any(options.output is None for options in targets):
            raise GenerationError("--check needs an output file to compare with (-o)")
        if not args.check and not args.force:
            for options in targets:
                refuse_foreign_output(options)
        fresh = run_jobs(targets, project, check_only=args.check, keep_records=args.target is None)
    except GenerationError as exc:
        print(f"gen_protocol: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RecursionError:
        print("gen_protocol: error: a source is nested too deeply for Python's parser", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.check:
        if fresh:
            print(f"gen_protocol: {len(targets)} protocol(s) fresh")
        return EXIT_OK if fresh else EXIT_STALE
    return EXIT_OK
