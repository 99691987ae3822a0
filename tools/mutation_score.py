"""Print the mutation score of the last ``mutmut run``, per module, from mutmut's own result files.

    python tools/mutation_score.py [--equivalents FILE]

A mutant counts as detected when a test failed (killed), timed out, or the type checker caught it.
Mutants listed in the equivalents file (``mutant-name  # why it cannot be detected``) are left out of
the score; mutants not checked yet are shown apart and left out too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DETECTED = {1, 3, 36, 37, 24, -24, 152, 255}
SURVIVED = {0, 5, 33}  # survived, or no test reaches it
_MODULE = re.compile(r"^(?P<module>.+?)\.x[_ǁ]")


def load_results(mutants: Path) -> dict[str, int | None]:
    results: dict[str, int | None] = {}
    for meta in sorted(mutants.rglob("*.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        results.update(data.get("exit_code_by_key", {}))
    return results


def load_equivalents(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, reason = line.partition("#")
        if name.strip():
            found[name.strip()] = reason.strip()
    return found


def score(results: dict[str, int | None], equivalents: dict[str, str]) -> list[tuple[str, Counter[str]]]:
    by_module: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for name, code in results.items():
        match = _MODULE.match(name)
        counts = by_module[match.group("module") if match else "?"]
        if name in equivalents:
            counts["equivalent"] += 1
        elif code is None:
            counts["not checked"] += 1
        elif code in DETECTED:
            counts["detected"] += 1
        elif code in SURVIVED:
            counts["survived"] += 1
        elif code == 34:
            counts["skipped"] += 1
        else:
            counts["suspicious"] += 1
    return sorted(by_module.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mutants", type=Path, default=ROOT / "mutants")
    parser.add_argument("--equivalents", type=Path, default=ROOT / "tests" / "mutation_equivalents.txt")
    args = parser.parse_args(argv)
    results = load_results(args.mutants)
    if not results:
        print(f"no mutmut results under {args.mutants}: run `make mutation` first", file=sys.stderr)
        return 1
    rows = score(results, load_equivalents(args.equivalents))
    total: Counter[str] = Counter()
    print(f"{'module':<32} {'detected':>8} {'survived':>8} {'equiv.':>6} {'unchecked':>9} {'score':>7}")
    for module, counts in rows:
        total.update(counts)
        print(_row(module, counts))
    print(_row("all", total))
    if not total["detected"] + total["survived"] + total["suspicious"]:
        print("no mutant was run to a verdict: see mutmut's output above", file=sys.stderr)
        return 1
    return 0


def _row(name: str, counts: Counter[str]) -> str:
    judged = counts["detected"] + counts["survived"] + counts["suspicious"]
    value = f"{100 * counts['detected'] / judged:.1f}%" if judged else "-"
    return (
        f"{name:<32} {counts['detected']:>8} {counts['survived'] + counts['suspicious']:>8} "
        f"{counts['equivalent']:>6} {counts['not checked']:>9} {value:>7}"
    )


if __name__ == "__main__":
    sys.exit(main())
