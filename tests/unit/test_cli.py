"""The byok command line, tested against double(BYOKProtocol): what it asks the handler, what it prints."""

from __future__ import annotations

import io

import pytest

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
from contracts.doubles import double, mock_of


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
def test_chat_errors_have_clear_messages_and_exit_codes(
    handler: BYOKProtocol, error: Exception, code: int, says: str
) -> None:
    mock_of(handler.stream_completion).raises(error)
    status, _, err = run(handler, "chat", "hi")
    assert status == code
    assert says in err and err.lstrip().startswith("byok: error:")


def test_unknown_provider_and_empty_prompt_are_bad_input(handler: BYOKProtocol) -> None:
    mock_of(handler.stream_completion).raises(InvalidRequestError("unknown provider_id 'nosuch'"))
    assert run(handler, "chat", "hi", "--provider", "nosuch")[0] == 2
    code, _, err = run(handler, "chat", "   ")
    assert (code, err) == (2, "byok: error: the prompt is empty\n")
