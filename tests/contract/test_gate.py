"""The mypy gate can fail: each kind of drift in a typed test is reported on its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract.conftest import MypyRunner

HEADER = """\
from byok import ChatResult, Message
from byok.adapters.base import ChatRequest, Completion, Delta
from contracts.adapter_protocol import ProviderAdapterProtocol
from contracts.byok_protocol import BYOKProtocol
from protodoubles import double, mock_of

HELLO: list[Message] = [{"role": "user", "content": "hi"}]
REQUEST = ChatRequest("m", tuple(HELLO))


async def check(handler: BYOKProtocol) -> None:
    adapter = double(ProviderAdapterProtocol)
"""

CORRECT = """\
    result: ChatResult = await handler.generate_response(HELLO, model="gpt-4o-mini")
    async for chunk in handler.stream_completion(HELLO, provider_id="openai"):
        print(chunk.text)
    mock_of(adapter.complete).returns(Completion("hi", "stop", None))
    mock_of(adapter.complete).assert_awaited_once_with(REQUEST)
    mock_of(adapter.stream).yields(Delta("a"), Delta("", "stop"))
    mock_of(adapter.stream).assert_called_once_with(request=REQUEST)
"""

DRIFTS = {
    "invented method": ("    await handler.complete_chat(HELLO)\n", '"BYOKProtocol" has no attribute "complete_chat"'),
    "invented stream": ("    handler.stream_tokens(HELLO)\n", '"BYOKProtocol" has no attribute "stream_tokens"'),
    "awaited stream": ("    await handler.stream_completion(HELLO)\n", 'Incompatible types in "await"'),
    "iterated coroutine": ("    async for c in handler.generate_response(HELLO):\n        print(c)\n", "__aiter__"),
    "wrong stub type": ('    mock_of(adapter.complete).returns("hi")\n', 'incompatible type "str"; expected "Completion | Raise"'),
    "misspelt keyword": (
        "    mock_of(adapter.complete).assert_awaited_once_with(requst=REQUEST)\n",
        'Unexpected keyword argument "requst"',
    ),
    "wrong stream item": ('    mock_of(adapter.stream).yields("a")\n', 'incompatible type "str"; expected "Delta"'),
    "awaited assertion on a stream": (
        "    mock_of(adapter.stream).assert_awaited_once_with(REQUEST)\n",
        'has no attribute "assert_awaited_once_with"',
    ),
    "wrong return use": (
        "    n: int = await handler.generate_response(HELLO)\n",
        'expression has type "ChatResult", variable has type "int"',
    ),
}


def _write(tmp_path: Path, body: str) -> tuple[Path, int]:
    path = tmp_path / "snippet_test.py"
    text = HEADER + body
    path.write_text(text)
    return path, len(HEADER.splitlines()) + 1


def test_a_correct_snippet_is_clean(mypy: MypyRunner, tmp_path: Path) -> None:
    path, _ = _write(tmp_path, CORRECT)
    code, report = mypy(path)
    assert (code, report) == (0, "")


@pytest.mark.parametrize("drift", list(DRIFTS))
def test_each_drift_is_reported_on_its_line(drift: str, mypy: MypyRunner, tmp_path: Path) -> None:
    body, says = DRIFTS[drift]
    path, line = _write(tmp_path, body)
    code, report = mypy(path)
    assert code == 1
    assert f"snippet_test.py:{line}: error:" in report, report
    assert says in report, report
