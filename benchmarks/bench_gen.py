"""gen_protocol against mypy's stubgen on the same files, whole-process; and how it scales."""

from __future__ import annotations

import tempfile
import time
from functools import partial
from pathlib import Path

from benchmarks.common import PYTHON, ROOT, interleaved, table, wall
from benchmarks.synth import write_module, write_synthetic

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
    from protodoubles._internal.gen.load.target import load_class, parse_target
    from protodoubles._internal.gen.render.module import generate

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
    return interleaved(
        {
            "check": lambda: wall([PYTHON, "tools/gen_protocol.py", "--check"]),
            "python -c pass": lambda: wall([PYTHON, "-c", "pass"]),
        },
        rounds,
    )


# Classes of large installed packages, each against `stubgen -m` on the module that defines the class.
SESSION = "sqlalchemy.ext.asyncio:AsyncSession"  # issue 18's target: 10x stubgen or better
PACKAGE_CLASSES = {
    "anthropic:AsyncAnthropic": "anthropic._client",
    SESSION: "sqlalchemy.ext.asyncio.session",
}


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module.split(".", maxsplit=1)[0]) is not None


def compare_package_classes(rounds: int = 5) -> list[dict[str, object]]:
    """gen_protocol on a class of a big package (loading only what the class needs) against stubgen on the
    class's own module, whole-process, in one run."""
    rows: list[dict[str, object]] = []
    stubgen = str(Path(PYTHON).parent / "stubgen")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for spec, module in PACKAGE_CLASSES.items():
            if not _installed(module):
                rows.append({"target": spec, "module": module, "skipped": "not installed (pip install -e '.[bench]')"})
                continue
            times = interleaved(
                {
                    "gen_protocol": partial(wall, [PYTHON, "tools/gen_protocol.py", spec, "-o", str(folder / "p.py"), "--force"]),
                    "stubgen -m": partial(wall, [stubgen, "-m", module, "-o", str(folder / "stubs"), "--quiet"]),
                },
                rounds,
            )
            rows.append(
                {
                    "target": spec,
                    "module": module,
                    "gen_protocol_s": times["gen_protocol"],
                    "stubgen_s": times["stubgen -m"],
                    "speedup": times["stubgen -m"] / times["gen_protocol"],
                }
            )
    return rows


def compare_large_module(rounds: int = 5, classes: int = 16, methods: int = 40) -> dict[str, object]:
    """One ~4,500-line file of 16 classes that use the SDKs' types: gen_protocol on its first class against
    default stubgen (which runs mypy's semantic analysis) and `stubgen --parse-only`, whole-process."""
    stubgen = str(Path(PYTHON).parent / "stubgen")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write_module(folder, classes, methods)
        times = interleaved(
            {
                "gen_protocol": partial(wall, _gen_command(path, "Synthetic", folder / "protocol_out.py")),
                "stubgen": partial(wall, [stubgen, str(path), "-o", str(folder / "stubs"), "--quiet"]),
                "stubgen --parse-only": partial(wall, [stubgen, "--parse-only", str(path), "-o", str(folder / "stubs"), "--quiet"]),
            },
            rounds,
        )
        lines = path.read_text().count("\n")
    return {
        "lines": lines,
        "classes": classes,
        **{f"{name}_s": value for name, value in times.items()},
        "speedup": times["stubgen"] / times["gen_protocol"],
        "speedup_parse_only": times["stubgen --parse-only"] / times["gen_protocol"],
    }


TARGETS = {
    "gen_protocol vs stubgen -m, classes of big packages": ">= 3x faster each",
    "gen_protocol vs stubgen -m, sqlalchemy's AsyncSession": ">= 10x faster",
    "gen_protocol vs default stubgen, ~4,500-line module": ">= 10x faster",
}


def headline(packages: list[dict[str, object]], large: dict[str, object]) -> list[tuple[str, str]]:
    measured = [f"{str(r['target']).split(':')[1]} {float(str(r['speedup'])):.1f}x" for r in packages if "speedup" in r]
    session = next((float(str(r["speedup"])) for r in packages if r["target"] == SESSION and "speedup" in r), None)
    return [
        ("gen_protocol vs stubgen -m, classes of big packages", ", ".join(measured) or "not measured"),
        ("gen_protocol vs stubgen -m, sqlalchemy's AsyncSession", f"{session:.1f}x faster" if session is not None else "not measured"),
        ("gen_protocol vs default stubgen, ~4,500-line module", f"{float(str(large['speedup'])):.1f}x faster"),
    ]


def section(packages: list[dict[str, object]], large: dict[str, object]) -> list[str]:
    """The RESULTS.md section for the two measurements above."""
    rows = [
        (
            r["target"],
            r["module"],
            f"{float(str(r['gen_protocol_s'])):.3f}",
            f"{float(str(r['stubgen_s'])):.3f}",
            f"{float(str(r['speedup'])):.1f}x",
        )
        if "speedup" in r
        else (r["target"], r["module"], "-", "-", str(r["skipped"]))
        for r in packages
    ]
    return [
        "## gen_protocol on classes of big packages (only the modules the class needs are read)",
        "",
        *table(["class", "stubgen -m on", "gen_protocol s", "stubgen s", "speed-up"], rows),
        "",
        f"## One {large['lines']}-line module of {large['classes']} classes that use the SDKs' types (first class)",
        "",
        *table(
            ["tool", "seconds", "gen_protocol speed-up"],
            [
                ("gen_protocol", f"{float(str(large['gen_protocol_s'])):.3f}", "-"),
                (
                    "stubgen (default: mypy semantic analysis)",
                    f"{float(str(large['stubgen_s'])):.3f}",
                    f"{float(str(large['speedup'])):.1f}x",
                ),
                (
                    "stubgen --parse-only",
                    f"{float(str(large['stubgen --parse-only_s'])):.3f}",
                    f"{float(str(large['speedup_parse_only'])):.1f}x",
                ),
            ],
        ),
        "",
    ]
