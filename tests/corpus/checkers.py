"""One ``mypy --strict`` run and one basedpyright (standard mode) run over a set of files, as diagnostics."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK_TIMEOUT = 900.0  # seconds; a cold mypy over every corpus package takes about a minute
PYTHON_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"

# Errors inside the corpus's own sample classes are not what is measured (they pass the project's gate).
MYPY_CONFIG = f"""\
[mypy]
python_version = {PYTHON_VERSION}
strict = True

[mypy-tests.*]
ignore_errors = True
"""

_MYPY_LINE = re.compile(r"^(?P<path>.+?):(?:(?P<line>\d+):)? (?P<level>error|note): (?P<message>.*)$")


class CheckerError(RuntimeError):
    """A type checker crashed or was misused: its silence would not mean the files are clean."""


@dataclass(frozen=True)
class Diagnostic:
    checker: str  # "mypy" or "pyright"
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.checker}: {self.path.name}:{self.line}: {self.message}"


@dataclass(frozen=True)
class CheckerRun:
    diagnostics: tuple[Diagnostic, ...]
    seconds: float


def run_mypy(files: Sequence[Path], workdir: Path, cache_dir: Path) -> CheckerRun:
    """``mypy --strict`` once over ``files``, from the project root so that its sample modules import."""
    if not files:
        return CheckerRun((), 0.0)
    config = workdir / "corpus-mypy.ini"
    config.write_text(MYPY_CONFIG, encoding="utf-8")
    command = [
        sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir", str(cache_dir),
        "--show-absolute-path", "--show-error-codes", "--no-error-summary", "--no-color-output", "--no-pretty",
        *map(str, files),
    ]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=CHECK_TIMEOUT, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise CheckerError(f"mypy exited {done.returncode}: {(done.stdout + done.stderr).strip()[:2000]}")
    found: list[Diagnostic] = []
    for line in done.stdout.splitlines():
        match = _MYPY_LINE.match(line)
        if not match:
            continue
        path = Path(match["path"]).resolve()
        if match["level"] == "error":
            found.append(Diagnostic("mypy", path, int(match["line"] or 0), match["message"]))
        elif found and found[-1].path == path:  # a note explains the error before it (which member is missing)
            found[-1] = replace(found[-1], message=f"{found[-1].message}; {match['message'].strip()}")
    if done.returncode == 1 and not found:
        raise CheckerError(f"mypy reported failure without a diagnostic: {(done.stdout + done.stderr).strip()[:2000]}")
    return CheckerRun(tuple(found), seconds)


def run_pyright(files: Sequence[Path], workdir: Path) -> CheckerRun:
    """basedpyright once over ``files`` in standard mode, with this interpreter's site-packages."""
    if not files:
        return CheckerRun((), 0.0)
    config = workdir / "pyrightconfig.json"
    settings = {
        "include": [str(path) for path in files],
        "typeCheckingMode": "standard",
        "pythonVersion": PYTHON_VERSION,
        "extraPaths": [str(ROOT)],
        "reportMissingModuleSource": "none",
    }
    config.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    command = [sys.executable, "-m", "basedpyright", "--outputjson", "--pythonpath", sys.executable, "--project", str(config)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=CHECK_TIMEOUT, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise CheckerError(f"basedpyright exited {done.returncode}: {(done.stdout + done.stderr).strip()[:2000]}")
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise CheckerError(f"basedpyright wrote no JSON report: {(done.stdout + done.stderr).strip()[:2000]}") from None
    found = []
    for item in report.get("generalDiagnostics", []):
        if item.get("severity") != "error":
            continue
        rule = f"  [{item['rule']}]" if item.get("rule") else ""
        line = int(item.get("range", {}).get("start", {}).get("line", -1)) + 1
        message = " ".join(str(item.get("message", "")).split())
        found.append(Diagnostic("pyright", Path(item["file"]).resolve(), line, message + rule))
    if done.returncode == 1 and not found:
        raise CheckerError(f"basedpyright reported failure without an error: {done.stdout[:2000]}")
    return CheckerRun(tuple(found), seconds)
