"""The byok command line, tested against double(BYOKProtocol): what it asks the handler, what it prints."""

from __future__ import annotations

import errno
import io
import sys
from pathlib import Path
from typing import TextIO

import pytest
from protodoubles import double, mock_of

from byok import (
    AllProvidersFailedError,
    Attempt,
    ChatResult,
    InvalidRequestError,
    NoProvidersConfiguredError,
    QueryComplexity,
    Route,
    RoutingInfo,
    StreamChunk,
    Usage,
)
from byok.cli import main
from contracts.byok_protocol import BYOKProtocol


def run(handler: BYOKProtocol, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), make_handler=lambda budget: handler, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def handler() -> BYOKProtocol:
    made = double(BYOKProtocol)
    mock_of(made.get_available_providers).returns(["openai", "anthropic"])
    return made


def test_route_prints_complexity_ranked_routes_and_costs(handler: BYOKProtocol) -> None:
    info = RoutingInfo(
        QueryComplexity.COMPLEX,
        42,
        (Route("deepseek", "deepseek-reasoner", 0.0021, 64000, 3), Route("openai", "gpt-4.1", 0.0082, 1047576, 3)),
    )
    mock_of(handler.get_routing_info).returns(info)
    code, out, _ = run(handler, "route", "Compare these", "--task-type", "analysis")
    assert code == 0
    mock_of(handler.get_routing_info).assert_called_once_with("Compare these", "analysis")
    lines = out.splitlines()
    assert lines[0] == "complexity: complex; about 42 input tokens"
    assert lines[2].split() == ["1", "deepseek", "deepseek-reasoner", "premium", "64000", "$0.002100"]
    assert lines[3].split() == ["2", "openai", "gpt-4.1", "premium", "1047576", "$0.008200"]


def test_providers_masks_keys(handler: BYOKProtocol, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-live-0123456789abcdefWXYZ"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    code, out, _ = run(handler, "providers")
    assert code == 0
    assert secret not in out
    openai_row = next(line for line in out.splitlines() if line.startswith("openai"))
    assert openai_row.split()[:3] == ["openai", "yes", "********WXYZ"]
    assert next(line for line in out.splitlines() if line.startswith("mistral")).split()[1] == "no"


def test_chat_streams_tokens_then_a_summary(handler: BYOKProtocol) -> None:
    mock_of(handler.stream_completion).yields(
        StreamChunk("Hel", "openai", "gpt-4o"),
        StreamChunk("lo", "openai", "gpt-4o"),
        StreamChunk("", "openai", "gpt-4o", "stop", Usage(3, 2), 0.00005),
    )
    code, out, err = run(handler, "chat", "hi there", "--provider", "openai", "--system", "be brief")
    assert (code, out) == (0, "Hello\n")
    assert err == "[openai/gpt-4o: 3 in, 2 out, $0.000050]\n"
    mock_of(handler.stream_completion).assert_called_once_with(
        [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi there"}],
        model=None,
        provider_id="openai",
        max_tokens=None,
    )
    mock_of(handler.aclose).assert_awaited_once_with()


def test_chat_without_streaming(handler: BYOKProtocol) -> None:
    mock_of(handler.generate_response).returns(ChatResult("whole reply", "anthropic", "claude-sonnet-4-0", Usage(5, 2), 0.1, "stop"))
    code, out, err = run(handler, "chat", "hi", "--no-stream", "--model", "claude-sonnet-4-0")
    assert (code, out) == (0, "whole reply\n")
    assert err.startswith("[anthropic/claude-sonnet-4-0: 5 in, 2 out,")
    mock_of(handler.stream_completion).assert_not_called()


@pytest.mark.parametrize(
    ("error", "code", "says"),
    [
        (NoProvidersConfiguredError("no provider is configured"), 3, "no provider is configured"),
        (AllProvidersFailedError([Attempt("openai", "gpt-4o", None, "connection failed")]), 4, "connection failed"),
    ],
)
def test_chat_errors_have_clear_messages_and_exit_codes(handler: BYOKProtocol, error: Exception, code: int, says: str) -> None:
    mock_of(handler.stream_completion).raises(error)
    status, _, err = run(handler, "chat", "hi")
    assert status == code
    assert says in err and err.lstrip().startswith("byok: error:")


def test_unknown_provider_and_empty_prompt_are_bad_input(handler: BYOKProtocol) -> None:
    mock_of(handler.stream_completion).raises(InvalidRequestError("unknown provider_id 'nosuch'"))
    assert run(handler, "chat", "hi", "--provider", "nosuch")[0] == 2
    code, _, err = run(handler, "chat", "   ")
    assert (code, err) == (2, "byok: error: the prompt is empty\n")


def run_with(handler: BYOKProtocol, *argv: str, stdin: bytes | None = None, out: TextIO | None = None) -> tuple[int, str, str]:
    stdout, err = out if out is not None else io.StringIO(), io.StringIO()
    source = io.BytesIO(stdin) if stdin is not None else None
    code = main(list(argv), make_handler=lambda budget: handler, stdout=stdout, stderr=err, stdin=source)
    return code, stdout.getvalue() if isinstance(stdout, io.StringIO) else "", err.getvalue()


def sent_prompt(handler: BYOKProtocol) -> str:
    messages = mock_of(handler.stream_completion).calls[0].args[0]
    return str(messages[-1]["content"])


@pytest.mark.parametrize("argv", [("chat", "-"), ("chat",)], ids=["dash", "no prompt"])
def test_the_prompt_can_come_from_stdin(argv: tuple[str, ...], handler: BYOKProtocol) -> None:
    mock_of(handler.stream_completion).yields(StreamChunk("", "openai", "m", "stop", Usage(1, 1), 0.0))
    big = "ünïcode " * 40_000  # over 128 KiB: too long for one argv string on Linux
    code, _, _ = run_with(handler, *argv, stdin=big.encode())
    assert code == 0
    assert sent_prompt(handler) == big


def test_the_prompt_can_come_from_a_file(handler: BYOKProtocol, tmp_path: Path) -> None:
    mock_of(handler.stream_completion).yields(StreamChunk("", "openai", "m", "stop", Usage(1, 1), 0.0))
    (tmp_path / "p.txt").write_text("from a file\n", encoding="utf-8")
    assert run_with(handler, "chat", "--file", str(tmp_path / "p.txt"))[0] == 0
    assert sent_prompt(handler) == "from a file\n"


@pytest.mark.parametrize(
    ("argv", "stdin", "says"),
    [
        (("chat", "--file", "/nonexistent/p.txt"), None, "--file '/nonexistent/p.txt': No such file or directory"),
        (("chat", "hi", "--file", "x"), None, "not both"),
        (("chat", "-"), b"ok \xff\xfe", "stdin is not UTF-8 text: invalid start byte at byte 3"),
        (("chat", "-"), b"  \n", "the prompt is empty"),
        (("route", "--file", "/nonexistent"), None, "No such file"),
    ],
)
def test_unreadable_prompts_are_bad_input(argv: tuple[str, ...], stdin: bytes | None, says: str, handler: BYOKProtocol) -> None:
    code, out, err = run_with(handler, *argv, stdin=stdin)
    assert (code, out) == (2, "")
    assert err == f"byok: error: {err.removeprefix('byok: error: ')}" and says in err and err.count("\n") == 1
    mock_of(handler.stream_completion).assert_not_called()


def test_no_prompt_and_a_closed_stdin_is_bad_input(handler: BYOKProtocol, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)  # what Python sets when fd 0 is closed
    code, _, err = run_with(handler, "chat")
    assert (code, err) == (2, 'byok: error: no prompt: give it as an argument, with --file, or on stdin ("-")\n')


def test_a_stdin_that_cannot_be_read_is_bad_input(handler: BYOKProtocol) -> None:
    out, errors = io.StringIO(), io.StringIO()
    code = main(["chat", "-"], make_handler=lambda budget: handler, stdout=out, stderr=errors)  # pytest's stdin refuses reads
    assert code == 2
    assert errors.getvalue().startswith("byok: error: cannot read stdin: ")


@pytest.mark.parametrize(("value", "says"), [("-1", "budget_usd must be >= 0, got -1.0"), ("nan", "finite number, got nan")])
def test_a_bad_budget_exits_2_with_one_line(value: str, says: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["chat", "hi", "--budget-usd", value], stdout=out, stderr=err)
    assert (code, out.getvalue()) == (2, "")
    assert err.getvalue() == f"byok: error: {err.getvalue().removeprefix('byok: error: ')}"
    assert says in err.getvalue() and err.getvalue().count("\n") == 1


class FailingOut(io.StringIO):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def write(self, text: str) -> int:
        raise self.error


@pytest.mark.parametrize(
    ("error", "code", "says"),
    [
        (BrokenPipeError(errno.EPIPE, "Broken pipe"), 141, ""),
        (OSError(errno.ENOSPC, "No space left on device"), 1, "byok: error: cannot write the output: No space left on device\n"),
        (ValueError("I/O operation on closed file."), 1, ""),
    ],
    ids=["broken pipe", "disk full", "closed"],
)
def test_output_that_cannot_be_written_ends_quietly_or_in_one_line(error: Exception, code: int, says: str, handler: BYOKProtocol) -> None:
    mock_of(handler.stream_completion).yields(StreamChunk("Hello", "openai", "m"), StreamChunk("", "openai", "m", "stop"))
    status, _, err = run_with(handler, "chat", "hi", out=FailingOut(error))
    assert (status, err) == (code, says)
    mock_of(handler.aclose).assert_awaited_once_with()


def test_ctrl_c_exits_130_with_one_line(handler: BYOKProtocol) -> None:
    mock_of(handler.stream_completion).raises(KeyboardInterrupt())
    assert run_with(handler, "chat", "hi") == (130, "", "\nbyok: interrupted\n")


def test_an_unexpected_error_is_one_line_without_the_key(handler: BYOKProtocol, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-live-0123456789abcdefWXYZ"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    mock_of(handler.stream_completion).raises(RuntimeError(f"exploded near {secret}"))
    code, _, err = run_with(handler, "chat", "hi")
    assert (code, err) == (1, "byok: error: unexpected RuntimeError: exploded near [redacted]\n")
