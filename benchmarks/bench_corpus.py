"""The corpus table: each corpus class through gen_protocol, ``mypy --strict`` and basedpyright.

    python benchmarks/bench_corpus.py                        # writes benchmarks/CORPUS.md
    python benchmarks/bench_corpus.py --only readonly --keep /tmp/corpus   # a few rows, printed; files kept

The same harness as ``pytest tests/corpus`` (tests/corpus/harness.py): one generator process per class (two at
a time), then one mypy run and one basedpyright run over every protocol and acceptance check.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, table  # the path above must be set first
from tests.corpus.checkers import Diagnostic
from tests.corpus.harness import CorpusRun, TargetResult, run_corpus
from tests.corpus.targets import TARGETS, Target

OUTPUT = ROOT / "benchmarks" / "CORPUS.md"
MYPY_CACHE = ROOT / ".mypy_cache" / "corpus"
VERSIONS_SHOWN = ["mypy", "basedpyright", "griffelib", "aiohttp", "starlette", "rich", "redis", "sqlalchemy", "httpx",
                  "pydantic", "click", "attrs", "multidict", "yarl"]  # fmt: skip
_COUNTS = re.compile(r"\d+/\d+ annotations present")


def measure(targets: Sequence[Target] = TARGETS, keep: Path | None = None) -> CorpusRun:
    """Run the corpus in a temporary folder, or in ``keep`` to leave the protocols and checks for reading."""
    if keep is not None:
        return run_corpus(targets, keep, cache_dir=MYPY_CACHE)
    with tempfile.TemporaryDirectory(prefix="corpus-") as folder:
        return run_corpus(targets, Path(folder), cache_dir=MYPY_CACHE)


def summary(run: CorpusRun) -> str:
    """One line: how many classes pass each stage."""
    results = run.results
    counts = [
        sum(r.exit_ok for r in results),
        sum(r.passes_mypy for r in results),
        sum(r.accepted_mypy for r in results),
        sum(r.accepted_pyright for r in results),
        sum(r.accepted_mypy and r.accepted_pyright and r.passes_mypy and not r.problems for r in results),
    ]
    exit_ok, strict, by_mypy, by_pyright, clean = counts
    n = len(results)
    return (
        f"{n} classes: exit 0 on {exit_ok}/{n}; protocol passes mypy --strict on {strict}/{n}; real class accepted "
        f"by mypy on {by_mypy}/{n}, by basedpyright on {by_pyright}/{n}; all of these and the row's expectations on {clean}/{n}."
    )


def render(run: CorpusRun) -> list[str]:
    return [
        "# Corpus: does each class satisfy its own generated protocol?",
        "",
        f"Written by `python benchmarks/bench_corpus.py` (also part of `benchmarks/run.py`) on "
        f"{platform.python_implementation()} {platform.python_version()}. Classes and what each exercises: "
        "`tests/corpus/targets.py`; the same checks run as tests in `pytest tests/corpus`.",
        "",
        "- **exit**, **warnings**: `tools/gen_protocol.py SOURCE -o OUT --name NAME`, one process per class: its"
        " exit status and the `warning:` lines on its stderr;",
        "- **mypy strict**: errors in the generated protocol under `mypy --strict`;",
        "- **mypy accepts / pyright accepts**: `def _accepts(x: Real) -> Proto: return x` type-checks under mypy"
        " --strict / basedpyright (standard mode);",
        "- **expectations**: the row's required members, forbidden text, full annotations where typeshed or a"
        " stub has them, and no unused import.",
        "",
        summary(run),
        "",
        "Versions: " + ", ".join(f"{name} {_version(name)}" for name in VERSIONS_SHOWN) + ".",
        "",
        f"Time: generation {run.generation_seconds:.1f} s of processes in all, mypy {run.mypy_seconds:.1f} s, "
        f"basedpyright {run.pyright_seconds:.1f} s; the whole run {run.wall_seconds:.1f} s.",
        "",
        *details(run),
    ]


def details(run: CorpusRun) -> list[str]:
    """The table, and why each failing class fails."""
    header = [
        "class",
        "kind",
        "members",
        "contract strength",
        "warnings",
        "exit",
        "mypy strict",
        "mypy accepts",
        "pyright accepts",
        "expectations",
        "gen s",
    ]
    lines = [
        *table(header, [_row(result) for result in run.results]),
        "",
        "## Why each failing class fails (first diagnostic of each kind)",
        "",
    ]
    for result in run.results:
        reasons = _reasons(result)
        if reasons:
            lines += [f"- `{result.target.source}`", *(f"  - {reason}" for reason in reasons)]
    lines.append("")
    return lines


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _row(result: TargetResult) -> tuple[object, ...]:
    gen = result.generation
    counts = _COUNTS.search(gen.strength or "")
    strength = counts[0].removesuffix(" annotations present") if counts else "-"
    return (
        f"`{result.target.source}`",
        result.target.kind,
        gen.members if gen.members is not None else "-",
        strength,
        sum(line.startswith("warning:") for line in gen.stderr.splitlines()),
        gen.exit_code,
        _verdict(result.passes_mypy, result.protocol_mypy, result.generation.checkable),
        _verdict(result.accepted_mypy, result.check_mypy, result.generation.checkable),
        _verdict(result.accepted_pyright, result.check_pyright, result.generation.checkable),
        "ok" if result.generation.checkable and not result.problems else f"{len(result.problems)} missed" if result.problems else "-",
        f"{gen.seconds:.1f}",
    )


def _verdict(ok: bool, diagnostics: tuple[Diagnostic, ...], checkable: bool) -> str:
    if not checkable:
        return "-"
    return "yes" if ok else f"no ({len(diagnostics)})"


def _reasons(result: TargetResult) -> list[str]:
    gen = result.generation
    if not gen.written:
        return [f"exit {gen.exit_code}: {_short(gen.stderr.strip().splitlines()[-1] if gen.stderr.strip() else '')}"]
    if gen.syntax_error:
        return [f"invalid Python: {_short(gen.syntax_error)}"]
    found = []
    for label, diagnostics in (
        ("mypy --strict on the protocol", result.protocol_mypy),
        ("mypy rejects the class", result.check_mypy),
        ("basedpyright on the protocol", result.protocol_pyright),
        ("basedpyright rejects the class", result.check_pyright),
    ):
        if diagnostics:
            more = f" (+{len(diagnostics) - 1} more)" if len(diagnostics) > 1 else ""
            found.append(f"{label}: {_short(diagnostics[0].message)}{more}")
    found += [f"expectation: {_short(problem)}" for problem in result.problems]
    return found


def _short(text: str, limit: int = 260) -> str:
    text = " ".join(text.replace("|", "/").split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def write(run: CorpusRun) -> Path:
    OUTPUT.write_text("\n".join(render(run)), encoding="utf-8")
    return OUTPUT


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", metavar="TEXT", help="only the rows whose source contains TEXT; print, write no CORPUS.md")
    parser.add_argument("--keep", metavar="DIR", type=Path, help="generate into DIR and leave the files there")
    args = parser.parse_args()
    targets = [target for target in TARGETS if args.only is None or args.only in target.source]
    if not targets:
        print(f"bench_corpus: error: no corpus row's source contains {args.only!r}", file=sys.stderr)
        return 2
    run = measure(targets, args.keep)
    if args.only is not None:
        print("\n".join(details(run)))
    else:
        print(f"wrote {write(run).relative_to(ROOT)}")
    print(summary(run))
    print(f"{run.wall_seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
