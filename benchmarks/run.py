"""Run every benchmark side by side and write benchmarks/RESULTS.md and benchmarks/results.png.

    python benchmarks/run.py [--quick]

Every figure is a ratio or a difference against a reference measured in the same run, in interleaved
rounds (medians), because these machines are shared and noisy. Nothing here is asserted in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import (  # the path above must be set first
    bench_corpus,
    bench_doubles,
    bench_family,
    bench_gates,  # the path above must be set first
    bench_gen,
    bench_ledger,
    bench_misc,
    bench_wire,
)
from benchmarks.common import ROOT, table

TARGETS = {
    "handler per call vs raw SDK": "<= 1.15x",
    "handler client CPU per call vs raw SDK (server in its own process)": "<= 1.10x",
    "handler time to first token vs raw SDK": "<= 1.15x",
    "gen_protocol vs stubgen, ~4,000-line class": ">= 5x faster",
    "gen_protocol --check on the project": "< 0.4 s",
    "failover after the failing response": "< 50 ms",
    "import byok": "< 150 ms",
    "static gate after a one-file test change (make gates, warm)": "<= 1 s",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    args = parser.parse_args()
    rounds = 2 if args.quick else 5
    print("generator vs stubgen ...", flush=True)
    gen_rows = bench_gen.compare_with_stubgen(rounds)
    scale_rows = bench_gen.scaling(rounds)
    check = bench_gen.check_time(rounds + 2)
    print("generator on classes of big packages and on a large module ...", flush=True)
    packages, large = bench_gen.compare_package_classes(rounds), bench_gen.compare_large_module(rounds)
    TARGETS.update(bench_gen.TARGETS)
    print("wire: handler vs raw SDK vs LiteLLM ...", flush=True)
    wire = asyncio.run(bench_wire.run(rounds, 40 if args.quick else 100))
    print("imports and the mypy gate ...", flush=True)
    imports = bench_misc.import_times(rounds + 2)
    gate = bench_misc.mypy_gate()
    print("corpus: each class against its own protocol ...", flush=True)
    corpus = bench_corpus.measure()
    bench_corpus.write(corpus)
    print("the whole static gate (make gates), cold and warm ...", flush=True)
    gates = bench_gates.measure(2 if args.quick else 3)
    print("protocol families of the SDK clients vs stubgen ...", flush=True)
    family = bench_family.measure(rounds)
    print("test doubles: double() vs decoy, create_autospec, MagicMock, AsyncMock ...", flush=True)
    doubles = bench_doubles.measure(rounds)
    print("the shared budget: Redis ledger vs in-process ...", flush=True)
    ledger = bench_ledger.measure(rounds)

    per_call = wire["per-call ms"]
    ratio = per_call["BYOKHandler"] / per_call["raw openai SDK"]
    big = next(r for r in gen_rows if str(r["file"]).startswith("~4,000"))
    cpu, ttft = wire["client CPU µs per call"], wire["time to first token ms"]
    headline = [
        ("handler per call vs raw SDK", f"{ratio:.2f}x"),
        ("handler client CPU per call vs raw SDK (server in its own process)", f"{cpu['BYOKHandler'] / cpu['raw openai SDK']:.2f}x"),
        ("handler time to first token vs raw SDK", f"{ttft['BYOKHandler'] / ttft['raw openai SDK']:.2f}x"),
        ("gen_protocol vs stubgen, ~4,000-line class", f"{big['speedup']:.1f}x faster"),
        ("gen_protocol --check on the project", f"{check['check']:.3f} s"),
        (
            "failover after the failing response",
            f"{wire['failover ms']['overhead over one 503 and one good call']:+.2f} ms (noise around 0)",
        ),
        ("import byok", f"{imports['byok'] * 1000:.0f} ms"),
        *bench_gates.headline(gates),
        *bench_gen.headline(packages, large),
    ]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py{' --quick' if args.quick else ''}` on {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}; medians of {rounds} interleaved rounds.",
        "",
        "## Headline",
        "",
        *table(["measure", "result", "target"], [(name, value, TARGETS[name]) for name, value in headline]),
        "",
        "## gen_protocol against mypy's stubgen (whole process, same files)",
        "",
        *table(
            ["file", "lines", "gen_protocol s", "stubgen s", "speed-up"],
            [(r["file"], r["lines"], f"{r['gen_protocol_s']:.3f}", f"{r['stubgen_s']:.3f}", f"{r['speedup']:.1f}x") for r in gen_rows],
        ),
        "",
        "Scaling, in-process (no interpreter start): time per method stays flat when the time grows linearly.",
        "",
        *table(
            ["methods", "seconds", "µs per method"],
            [(r["methods"], f"{r['seconds']:.4f}", f"{r['us_per_method']:.0f}") for r in scale_rows],
        ),
        "",
        f"`gen_protocol --check` on this project: {check['check']:.3f} s whole-process "
        f"(a bare `python -c pass`: {check['python -c pass']:.3f} s).",
        "",
        *bench_gen.section(packages, large),
        "## The handler against the raw openai SDK and LiteLLM (same loopback server)",
        "",
    ]
    for section, values in wire.items():
        lines += [f"**{section}**", "", *table(["contender", "value"], [(k, f"{v:.2f}") for k, v in values.items()]), ""]
    lines += [
        "## Import time added to a bare interpreter start",
        "",
        *table(["module", "ms"], [(m, f"{s * 1000:.0f}") for m, s in imports.items()]),
        "",
        "## The mypy gate (`mypy tests/`)",
        "",
        f"cold (empty cache): {gate['cold']:.1f} s; warm: {gate['warm']:.1f} s",
        "",
        "## Corpus: each class against its own generated protocol ([CORPUS.md](CORPUS.md))",
        "",
        bench_corpus.summary(corpus),
        *bench_gates.section(gates),
        *bench_family.section(family),
        *bench_doubles.section(doubles),
        *bench_ledger.section(ledger),
        "![results](results.png)",
        "",
    ]
    (ROOT / "benchmarks" / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    _plot(gen_rows, scale_rows, per_call)
    print("\n".join(lines[:14]))
    return 0


def _plot(gen_rows: list[dict[str, object]], scale_rows: list[dict[str, object]], per_call: dict[str, float]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no plot written", file=sys.stderr)
        return
    figure, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4.5))
    labels = [str(r["file"]).split(" (")[0] for r in gen_rows]
    x = range(len(labels))
    left.bar([i - 0.2 for i in x], [float(str(r["gen_protocol_s"])) for r in gen_rows], 0.4, label="gen_protocol")
    left.bar([i + 0.2 for i in x], [float(str(r["stubgen_s"])) for r in gen_rows], 0.4, label="stubgen")
    left.set_xticks(list(x), labels, rotation=20, ha="right", fontsize=8)
    left.set_ylabel("seconds (whole process)")
    left.set_title("gen_protocol vs stubgen")
    left.legend()
    middle.plot([int(str(r["methods"])) for r in scale_rows], [float(str(r["seconds"])) for r in scale_rows], marker="o")
    middle.set_xscale("log")
    middle.set_yscale("log")
    middle.set_xlabel("methods")
    middle.set_ylabel("seconds (in process)")
    middle.set_title("gen_protocol scaling")
    right.bar(list(per_call), list(per_call.values()), color=["#888", "#2a7", "#c55"][: len(per_call)])
    right.set_ylabel("ms per call (loopback)")
    right.set_title("per-call time")
    figure.tight_layout()
    figure.savefig(ROOT / "benchmarks" / "results.png", dpi=90)


if __name__ == "__main__":
    sys.exit(main())
