"""Response-shape drift against the SDK clients: invisible with MagicMock, an error on its line with
deep doubles (``double(OpenAIClientProtocol)``), for mypy and basedpyright alike; the correct version
type-checks and runs green."""

from __future__ import annotations

import asyncio
import importlib.util
import re
import subprocess
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path

from tests.contract.conftest import ROOT, MypyRunner
from tests.corpus.checkers import run_pyright

OLD_STYLE = ROOT / "tests/contract/bad_cases/old_style_sdk_suite.py"

HEADER = """\
from unittest.mock import ANY

from contracts.anthropic_client_protocol import AnthropicClientProtocol
from protodoubles import double, mock_of, when
from contracts.openai_client_protocol import OpenAIClientProtocol
from tests.sdk_payloads import MODEL, anthropic_message, anthropic_stream, openai_completion, openai_stream


async def check() -> list[str]:
    openai_client = double(OpenAIClientProtocol)
    anthropic_client = double(AnthropicClientProtocol)
    mock_of(openai_client.chat.completions.create).returns(openai_completion("hi"))
    mock_of(anthropic_client.messages.create).returns(anthropic_message("hi"))
    when(lambda: openai_client.chat.completions.create(model=MODEL, messages=ANY, stream=True)).returns(openai_stream("hi"))
    when(lambda: anthropic_client.messages.create(model=MODEL, max_tokens=8, messages=ANY, stream=True)).returns(anthropic_stream("hi"))
    seen: list[str] = []
"""
FOOTER = "    return seen\n"

OPENAI_REPLY = "    completion = await openai_client.chat.completions.create(model=MODEL, messages=[])\n"
ANTHROPIC_REPLY = "    message = await anthropic_client.messages.create(model=MODEL, max_tokens=8, messages=[])\n"
ANTHROPIC_EVENTS = "    events = await anthropic_client.messages.create(model=MODEL, max_tokens=8, messages=[], stream=True)\n"

# name: (lines before, the planted line, what mypy says about it, the correct line); the old-style suite
# marks the same drift with `# drift: <name>`.
DRIFTS = {
    "anthropic shape on an OpenAI completion": (
        OPENAI_REPLY,
        "    seen.append(completion.content[0].text)\n",
        '"ChatCompletion" has no attribute "content"',
        '    seen.append(completion.choices[0].message.content or "")\n',
    ),
    "choices on an Anthropic message": (
        ANTHROPIC_REPLY,
        "    seen.append(message.choices[0].message.content)\n",
        '"Message" has no attribute "choices"',
        '    seen += [block.text for block in message.content if block.type == "text"]\n',
    ),
    "wrong model class stubbed": (
        "",
        '    mock_of(openai_client.chat.completions.create).returns(anthropic_message("hi"))\n',
        'incompatible type "Message"; expected "ChatCompletion | Raise"',
        '    mock_of(openai_client.chat.completions.create).returns(openai_completion("hi"))\n',
    ),
    "wrong model class stubbed for a stream call": (
        "",
        '    when(lambda: anthropic_client.messages.create(model=MODEL, max_tokens=8, messages=[], stream=True)).returns(anthropic_message("hi"))\n',
        'incompatible type "Message"; expected "AsyncStream[',
        '    when(lambda: anthropic_client.messages.create(model=MODEL, max_tokens=8, messages=[], stream=True)).returns(anthropic_stream("hi"))\n',
    ),
    "misspelt create keyword": (
        "",
        "    await openai_client.chat.completions.create(model=MODEL, mesages=[])\n",
        'No overload variant of "create" of "AsyncCompletionsProtocol" matches argument types',
        "    await openai_client.chat.completions.create(model=MODEL, messages=[])\n",
    ),
    "misspelt keyword in an assertion": (
        "    mock_of(openai_client.chat.completions.create).reset()\n" + OPENAI_REPLY,
        "    mock_of(openai_client.chat.completions.create).assert_awaited_once_with(model=MODEL, mesages=[])\n",
        'Unexpected keyword argument "mesages"',
        "    mock_of(openai_client.chat.completions.create).assert_awaited_once_with(model=MODEL, messages=[])\n",
    ),
    "create(stream=True) used as a stream without await": (
        "",
        "    seen += [c.choices[0].delta.content or '' async for c in openai_client.chat.completions.create(model=MODEL, messages=[], stream=True)]\n",
        'has no attribute "__aiter__" (not async iterable)',
        "    seen += [x.delta.content or '' async for c in await openai_client.chat.completions.create(model=MODEL, messages=[], stream=True) for x in c.choices]\n",
    ),
    "awaited create(stream=True) read as a message": (
        ANTHROPIC_EVENTS,
        "    seen.append(events.content[0].text)\n",
        '"AsyncStream[RawMessageStartEvent | RawMessageDeltaEvent | RawMessageStopEvent | RawContentBlockStartEvent | RawContentBlockDeltaEvent | RawContentBlockStopEvent]" has no attribute "content"',
        "    seen += [event.type async for event in events]\n",
    ),
}


def _snippet(tmp_path: Path, name: str, lines: dict[str, tuple[str, str]]) -> tuple[Path, dict[str, int]]:
    """One file with every case: ``lines`` maps a case to (lines before, its line); returns each line's number."""
    text, where = HEADER, {}
    for case, (before, line) in lines.items():
        text += f"    # {case}\n" + before
        where[case] = len(text.splitlines()) + 1
        text += line
    path = tmp_path / f"{name}.py"
    path.write_text(text + FOOTER)
    return path, where


def _run(path: Path) -> list[str]:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    check: Callable[[], Coroutine[object, object, list[str]]] = module.check
    return asyncio.run(check())


def test_the_old_style_suite_hides_every_drift_from_mypy(mypy: MypyRunner) -> None:
    marked = re.findall(r"  # drift: (.+)$", OLD_STYLE.read_text(), flags=re.MULTILINE)
    assert sorted(marked) == sorted(DRIFTS)
    assert mypy(OLD_STYLE) == (0, "")


def test_the_old_style_suite_runs_green_despite_every_drift() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", str(OLD_STYLE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "7 passed" in run.stdout


def test_each_drift_fails_mypy_on_its_line_with_deep_doubles(mypy: MypyRunner, tmp_path: Path) -> None:
    path, where = _snippet(tmp_path, "drifted", {case: (before, planted) for case, (before, planted, _, _) in DRIFTS.items()})
    code, report = mypy(path)
    errors = [row for row in report.splitlines() if ": error:" in row]
    missed = [
        case for case, (_, _, says, _) in DRIFTS.items() if not any(f"drifted.py:{where[case]}: error:" in r and says in r for r in errors)
    ]
    assert (code, missed) == (1, []), report
    assert {int(row.split(":")[1]) for row in errors} == set(where.values()), report  # no error off a planted line


def test_each_correct_version_passes_mypy_and_runs_green(mypy: MypyRunner, tmp_path: Path) -> None:
    path, _ = _snippet(tmp_path, "corrected", {case: (before, correct) for case, (before, _, _, correct) in DRIFTS.items()})
    assert mypy(path) == (0, "")
    seen = _run(path)
    events = ["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]
    # two replies read; the OpenAI stream's deltas (role, text, finish; its usage chunk has no choices); Anthropic's events
    assert seen == ["hi", "hi", "", "hi", "", *events]


def test_basedpyright_reports_the_same_drifts_and_accepts_the_correct_versions(tmp_path: Path) -> None:
    drifted, where = _snippet(tmp_path, "drifted", {case: (before, planted) for case, (before, planted, _, _) in DRIFTS.items()})
    corrected, _ = _snippet(tmp_path, "corrected", {case: (before, correct) for case, (before, _, _, correct) in DRIFTS.items()})
    run = run_pyright([drifted, corrected], tmp_path)
    assert {(d.path.name, d.line) for d in run.diagnostics} == {("drifted.py", line) for line in where.values()}, [
        str(d) for d in run.diagnostics
    ]
