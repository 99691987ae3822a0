"""The two SDK client families (contracts/openai_client_protocol.py, contracts/anthropic_client_protocol.py)
generated whole-process, next to mypy's stubgen on the modules that define the same classes.

    python benchmarks/bench_family.py [--rounds N]

Each contender is a whole process (interpreter start included), measured in interleaved rounds (medians);
wall time is the comparison. The CPU time of the processes started here is shown too, but it leaves out
the helper process in which ``stubgen -m`` imports the modules.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import PYTHON, ROOT, print_section, table

FAMILIES = {
    "openai": ["openai:AsyncOpenAI", "--follow", "chat.completions", "--follow", "models", "--name", "OpenAIClientProtocol"],
    "anthropic": ["anthropic:AsyncAnthropic", "--follow", "messages", "--follow", "models", "--name", "AnthropicClientProtocol"],
}
# The modules that define the classes of the two families.
MODULES = [
    "openai._client",
    "openai.resources.chat.chat",
    "openai.resources.chat.completions.completions",
    "openai.resources.models",
    "anthropic._client",
    "anthropic.resources.messages.messages",
    "anthropic.resources.models",
]


def _run(commands: Sequence[Sequence[str]]) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) for ``commands`` run one after the other."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for command in commands:
        subprocess.run(list(command), cwd=ROOT, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _site() -> str:
    """Where the SDKs are installed: --no-import finds modules only on a search path."""
    import openai  # the benchmark's own interpreter has the SDKs; imported only to find their folder

    return str(Path(openai.__file__).resolve().parent.parent)


def contenders(folder: Path) -> dict[str, list[list[str]]]:
    stubgen = str(Path(PYTHON).parent / "stubgen")  # mypy is compiled: `python -m mypy.stubgen` does not run
    modules = [arg for module in MODULES for arg in ("-m", module)]
    return {
        "gen_protocol, both families": [
            [PYTHON, "tools/gen_protocol.py", *args, "-o", str(folder / f"{name}_family.py")] for name, args in FAMILIES.items()
        ],
        "stubgen -m (same 7 modules)": [[stubgen, *modules, "-o", str(folder / "stubs"), "--quiet"]],
        "stubgen -m --parse-only": [[stubgen, *modules, "-o", str(folder / "stubs_parse"), "--quiet", "--parse-only"]],
        "stubgen -m --parse-only --no-import": [
            [stubgen, *modules, "-o", str(folder / "stubs_static"), "--quiet", "--parse-only", "--no-import", "--search-path", _site()]
        ],
    }


def measure(rounds: int = 5) -> dict[str, dict[str, float]]:
    """Median wall and CPU seconds of each contender."""
    with tempfile.TemporaryDirectory() as tmp:
        runs = contenders(Path(tmp))
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for _ in range(rounds):
            for name, commands in runs.items():
                samples[name].append(_run(commands))
    return {
        name: {"wall_s": statistics.median(w for w, _ in rows), "cpu_s": statistics.median(c for _, c in rows)}
        for name, rows in samples.items()
    }


def section(results: dict[str, dict[str, float]]) -> list[str]:
    ours = results["gen_protocol, both families"]
    rows = [(name, f"{r['wall_s']:.2f}", f"{r['wall_s'] / ours['wall_s']:.2f}x", f"{r['cpu_s']:.2f}") for name, r in results.items()]
    return [
        "## Protocol families of the SDK clients against stubgen (whole process)",
        "",
        "gen_protocol writes both families (`openai:AsyncOpenAI --follow chat.completions --follow models`, "
        "`anthropic:AsyncAnthropic --follow messages --follow models`: 7 classes) in two processes; stubgen "
        f"writes stubs of the {len(MODULES)} modules that define those classes in one.",
        "",
        *table(["contender", "wall s", "wall vs gen_protocol", "CPU s (this process's children)"], rows),
        "",
        "`stubgen -m` imports each module in a helper process to find it; that process's CPU time is not in its "
        "column, so compare wall times.",
        "",
    ]


def main() -> int:
    return print_section(__doc__, measure, section)


if __name__ == "__main__":
    sys.exit(main())
