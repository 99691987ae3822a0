"""gen_protocol against mypy's stubgen on the same files, whole-process; and how it scales."""

from __future__ import annotations

import tempfile
import time
from functools import partial
from pathlib import Path

from benchmarks.common import PYTHON, ROOT, interleaved, wall
from benchmarks.synth import write_synthetic

FILE_SIZES = {"10 methods": 10, "100 methods": 100, "~4,000-line class (600 methods)": 600, "1,000 methods": 1000}


def _gen_command(path: Path, cls: str, out: Path) -> list[str]:
    return [PYTHON, "tools/gen_protocol.py", f"{path}:{cls}", "-o", str(out)]


def _stubgen_command(path: Path, out: Path) -> list[str]:
    # mypy is compiled with mypyc, so `python -m mypy.stubgen` does not run: use its console script.
    return [str(Path(PYTHON).parent / "stubgen"), str(path), "-o", str(out), "--quiet"]


def compare_with_stubgen(rounds: int = 5) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files: dict[str, tuple[Path, str]] = {"byok/handler.py (the project)": (ROOT / "byok" / "handler.py", "BYOKHandler")}
        for label, methods in FILE_SIZES.items():
            files[label] = (write_synthetic(folder, methods), "Synthetic")
        for label, (path, cls) in files.items():
            lines = path.read_text().count("\n")
            times = interleaved(
                {
                    "gen_protocol": partial(wall, _gen_command(path, cls, folder / "protocol_out.py")),
                    "stubgen": partial(wall, _stubgen_command(path, folder / "stubs")),
                },
                rounds,
            )
            rows.append(
                {
                    "file": label,
                    "lines": lines,
                    "gen_protocol_s": times["gen_protocol"],
                    "stubgen_s": times["stubgen"],
                    "speedup": times["stubgen"] / times["gen_protocol"],
                }
            )
    return rows


def scaling(rounds: int = 5) -> list[dict[str, object]]:
    """In-process generation time by number of methods (interpreter start and imports excluded)."""
    from contracts.gen.module import generate
    from contracts.gen.target import load_class, parse_target

    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for methods in (10, 100, 1000):
            path = write_synthetic(Path(tmp), methods)
            samples = []
            for _ in range(rounds):
                start = time.perf_counter()
                cls, loader = load_class(parse_target(f"{path}:Synthetic", ROOT))
                generate(cls, loader, protocol_name="P", target_spec="x", regenerate="x")
                samples.append(time.perf_counter() - start)
            best = sorted(samples)[len(samples) // 2]
            rows.append({"methods": methods, "seconds": best, "us_per_method": best / methods * 1e6})
    return rows


def check_time(rounds: int = 7) -> dict[str, float]:
    """`gen_protocol --check` on this project, whole-process, against a bare interpreter start."""
    times = interleaved(
        {
            "check": lambda: wall([PYTHON, "tools/gen_protocol.py", "--check"]),
            "python -c pass": lambda: wall([PYTHON, "-c", "pass"]),
        },
        rounds,
    )
    return times
