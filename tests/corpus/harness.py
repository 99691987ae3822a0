"""Measure the generator on the corpus: generate each protocol as a user does, then type-check them all at once.

For every target, ``tools/gen_protocol.py SOURCE -o OUT --name NAME`` runs as its own process (two at a time:
a pool of two threads, each waiting on one generator process) from the project root, writing into a work folder. Beside each protocol goes a check file,
``def _accepts(x: Real) -> Proto: return x``, which a type checker accepts only if the real class satisfies its
own protocol. Then ``mypy --strict`` runs once and basedpyright (standard mode) runs once over all those files,
and every diagnostic is attributed to its target by file.

    run = run_corpus(TARGETS, workdir, cache_dir=mypy_cache)
    # or, to alter what was generated first: generate_all(...), edit files, prepare(...) each, check_all(...)
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from tests.corpus.checkers import ROOT, Diagnostic, run_mypy, run_pyright
from tests.corpus.expectations import problems_in
from tests.corpus.targets import Target

GENERATOR = ROOT / "tools" / "gen_protocol.py"
GENERATION_TIMEOUT = 600.0  # seconds for one class; a whole large package once took 73 s
_STRENGTH = re.compile(r"\((?P<members>\d+) members?\): (?P<strength>contract strength: .*)$", re.MULTILINE)


@dataclass(frozen=True)
class Generation:
    """One generator run: what it printed, and the files written for the type checkers."""

    target: Target
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    protocol: Path  # where the output was asked for; it exists only if the run wrote it
    check: Path  # the acceptance check file; written only beside a protocol that parses
    members: int | None
    strength: str | None
    syntax_error: str | None  # the protocol was written but is not valid Python
    text: str  # the protocol as written, "" if none was

    @property
    def written(self) -> bool:
        return self.exit_code == 0 and bool(self.text)

    @property
    def checkable(self) -> bool:
        return self.written and self.syntax_error is None


@dataclass(frozen=True)
class TargetResult:
    generation: Generation
    protocol_mypy: tuple[Diagnostic, ...]  # errors inside the generated protocol
    check_mypy: tuple[Diagnostic, ...]  # errors in the acceptance check: the class is not accepted
    protocol_pyright: tuple[Diagnostic, ...]
    check_pyright: tuple[Diagnostic, ...]
    problems: tuple[str, ...]  # the target's expectations missed, and unused imports

    @property
    def target(self) -> Target:
        return self.generation.target

    @property
    def exit_ok(self) -> bool:
        return self.generation.written

    @property
    def passes_mypy(self) -> bool:
        return self.generation.checkable and not self.protocol_mypy

    @property
    def accepted_mypy(self) -> bool:
        return self.generation.checkable and not self.check_mypy

    @property
    def passes_pyright(self) -> bool:
        return self.generation.checkable and not self.protocol_pyright

    @property
    def accepted_pyright(self) -> bool:
        return self.generation.checkable and not self.check_pyright


@dataclass(frozen=True)
class CorpusRun:
    results: tuple[TargetResult, ...]
    stray: tuple[Diagnostic, ...]  # diagnostics in no target's files (would point at a harness fault)
    generation_seconds: float  # the generator runs' times added up
    mypy_seconds: float
    pyright_seconds: float
    wall_seconds: float = 0.0  # the whole run, generation in parallel included (set by run_corpus)

    def result(self, key: str) -> TargetResult:
        for result in self.results:
            if result.target.key == key:
                return result
        raise KeyError(key)


def run_corpus(targets: Sequence[Target], workdir: Path, *, cache_dir: Path, workers: int = 2) -> CorpusRun:
    """Generate every target's protocol and check file, then type-check them all once per checker."""
    start = time.perf_counter()
    run = check_all(generate_all(targets, workdir, workers=workers), workdir, cache_dir=cache_dir)
    return replace(run, wall_seconds=time.perf_counter() - start)


def generate_all(targets: Sequence[Target], workdir: Path, *, workers: int = 2) -> list[Generation]:
    keys = [target.key for target in targets]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"corpus keys must be unique; repeated: {', '.join(duplicates)}")
    workdir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=workers) as pool:  # each job is a whole process: threads only wait
        return list(pool.map(lambda target: generate(target, workdir), targets))


def generate(target: Target, workdir: Path) -> Generation:
    """Run the generator on one target as a user would, then write its acceptance check file."""
    protocol = workdir / f"{target.key}_protocol.py"
    check = workdir / f"{target.key}_check.py"
    protocol.unlink(missing_ok=True)
    check.unlink(missing_ok=True)
    command = [sys.executable, str(GENERATOR), target.source, "-o", str(protocol), "--name", target.protocol_name]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=GENERATION_TIMEOUT, check=False)
        code, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired:
        code, out, err = -1, "", f"timed out after {GENERATION_TIMEOUT:.0f} s"
    seconds = time.perf_counter() - start
    match = _STRENGTH.search(out + "\n" + err)
    members, strength = (int(match["members"]), match["strength"]) if match else (None, None)
    return prepare(Generation(target, code, out, err, seconds, protocol, check, members, strength, None, ""))


def prepare(gen: Generation) -> Generation:
    """Compile the written protocol and write its check file beside it; call again after editing a protocol."""
    gen.check.unlink(missing_ok=True)
    text = gen.protocol.read_text(encoding="utf-8") if gen.exit_code == 0 and gen.protocol.is_file() else ""
    try:
        compile(text, str(gen.protocol), "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:  # mypy would stop at this file and check no other
        return replace(gen, syntax_error=f"{type(exc).__name__}: {exc}", text=text)
    if text:
        arity = type_parameter_count(text, gen.target.protocol_name)
        gen.check.write_text(check_source(gen.target, gen.protocol.stem, arity), encoding="utf-8")
    return replace(gen, syntax_error=None, text=text)


def check_source(target: Target, protocol_module: str, protocol_arity: int) -> str:
    """The acceptance check: the real class where its protocol is expected."""
    module, _, qualname = target.real.partition(":")
    head, _, rest = qualname.partition(".")
    real = "_Real" + (f".{rest}" if rest else "") + (f"[{', '.join(target.args)}]" if target.args else "")
    if protocol_arity == len(target.args):
        proto_args = target.args
    elif protocol_arity and target.args:
        proto_args = ("Any",) * protocol_arity  # the protocol's parameters do not line up with the class's
    else:
        proto_args = ()  # a generic protocol without arguments is a --strict error, reported in this file
    proto = target.protocol_name + (f"[{', '.join(proto_args)}]" if proto_args else "")
    lines = [
        f"# The real class {target.real} must be accepted where its generated protocol is expected.",
        "from __future__ import annotations",
        "",
        *(["from typing import Any", ""] if "Any" in proto_args else []),
        f"from {module} import {head} as _Real",
        f"from {protocol_module} import {target.protocol_name}",
        "",
        "",
        f"def _accepts(x: {real}) -> {proto}:",
        "    return x",
        "",
    ]
    return "\n".join(lines)


def type_parameter_count(text: str, class_name: str) -> int:
    """How many type parameters the protocol class declares (``Protocol[T, U]`` or ``Generic[...]``)."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for base in node.bases:
                if isinstance(base, ast.Subscript) and _base_name(base.value) in ("Protocol", "Generic"):
                    inner = base.slice
                    return len(inner.elts) if isinstance(inner, ast.Tuple) else 1
            return 0  # the generator writes type parameters as Protocol[...] or Generic[...] bases, never in PEP 695 brackets
    return 0


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def check_all(generations: Sequence[Generation], workdir: Path, *, cache_dir: Path) -> CorpusRun:
    """One mypy --strict and one basedpyright run over every protocol and check file; results per target."""
    files = [path for gen in generations if gen.checkable for path in (gen.protocol, gen.check)]
    cache_dir.mkdir(parents=True, exist_ok=True)
    mypy = run_mypy(files, workdir, cache_dir)
    pyright = run_pyright(files, workdir)
    owners = {path.resolve(): gen.target.key for gen in generations if gen.checkable for path in (gen.protocol, gen.check)}
    stray = tuple(d for d in (*mypy.diagnostics, *pyright.diagnostics) if d.path not in owners)
    results = []
    for gen in generations:
        protocol, check = gen.protocol.resolve(), gen.check.resolve()
        results.append(
            TargetResult(
                gen,
                _on(mypy.diagnostics, protocol),
                _on(mypy.diagnostics, check),
                _on(pyright.diagnostics, protocol),
                _on(pyright.diagnostics, check),
                problems_in(gen.text, gen.target, gen.strength) if gen.checkable else (),
            )
        )
    total = sum(gen.seconds for gen in generations)
    return CorpusRun(tuple(results), stray, total, mypy.seconds, pyright.seconds)


def _on(diagnostics: Iterable[Diagnostic], path: Path) -> tuple[Diagnostic, ...]:
    return tuple(d for d in diagnostics if d.path == path)
