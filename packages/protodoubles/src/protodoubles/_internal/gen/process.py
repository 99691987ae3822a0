"""The generator's process entry point (the ``gen-protocol`` script): one short run.

A run builds many small objects (griffe's syntax trees and expressions) and frees few of them before it
ends, so the cyclic garbage collector's default thresholds only spend time scanning live objects; they
are raised for the run, as mypy raises them for a build. And since nothing is left to clean up when
``main`` returns (every file it writes is closed by then), the process leaves at once after flushing
its output, instead of tearing every module and object down one by one, as mypy does by default too.

Standard output that cannot be written (a full disk, a reader that went away) never stops a run half
way: the run goes on, and its end says so in one line on stderr, with exit status 2.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn, TextIO

# A collection of the youngest objects after 200,000 allocations instead of 700; mypy's build uses these.
GC_THRESHOLDS = (200_000, 30, 30)
EXIT_BAD_OUTPUT = 2  # as protodoubles._internal.gen.cli's bad input: an output that cannot be written


class Output:
    """Standard output for the run: the first failed write is kept and later writes are dropped, so that
    a status line that cannot be shown does not stop the files after it from being written."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.error: str | None = None

    def write(self, text: str) -> int:
        if self.error is None:
            try:
                self.stream.write(text)
            except (OSError, ValueError) as exc:  # ValueError: a stream closed under us
                self.error = _reason(exc)
        return len(text)

    def flush(self) -> None:
        if self.error is None:
            try:
                self.stream.flush()
            except (OSError, ValueError) as exc:
                self.error = _reason(exc)


def run(argv: list[str] | None = None) -> NoReturn:
    """Run the command line and leave the process with its exit status."""
    gc.set_threshold(*GC_THRESHOLDS)
    from protodoubles._internal.gen import lazy_griffe

    lazy_griffe.install()  # before the generator imports griffe
    from protodoubles._internal.gen.cli import main  # after the thresholds: the imports allocate too

    output = Output(sys.stdout) if sys.stdout is not None else None  # None: closed, as the cli reports
    if output is not None:
        sys.stdout = output  # write and flush are all that the run asks of standard output
    code = main(argv)
    os._exit(finish(code, output))


def finish(code: int, output: Output | None) -> int:
    """Flush standard output and error; the exit status to leave with. A failed write to standard output
    after a run that succeeded is said in one line; a run that failed has said why already."""
    if output is not None:
        output.flush()
        if output.error is not None and code == 0:
            _say(f"gen_protocol: error: cannot write standard output: {output.error}")
            code = EXIT_BAD_OUTPUT
    _say(None)
    return code


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def _say(line: str | None) -> None:
    """One line on stderr (None: only flush it); a stderr that cannot be written is passed over."""
    try:
        if sys.stderr is not None:
            if line is not None:
                sys.stderr.write(line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass
