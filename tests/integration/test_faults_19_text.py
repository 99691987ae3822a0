"""Issue 19, text that comes from a provider: an error message with line breaks and terminal escape
sequences, a redirect to another origin, and a reply the terminal's encoding cannot carry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from byok import AllProvidersFailedError, BYOKError, BYOKHandler, Message
from tests.integration.conftest import HandlerFactory
from tests.integration.test_cli_e2e import byok, openai_env
from tests.loopback import LoopbackServer, Reply

ASK: list[Message] = [{"role": "user", "content": "ping"}]
FORGED = "upstream failed\nbyok: ok, charged $0\x1b[2J\x1b]0;owned\x07"


def is_one_safe_line(text: str) -> bool:
    """No line break, no escape sequence, no control character of any kind."""
    return all(c.isprintable() for c in text)


@pytest.fixture
def other_origin() -> Iterator[LoopbackServer]:
    """A second loopback server: another port, so another origin."""
    with LoopbackServer() as running:
        yield running


async def _ask(handler: BYOKHandler, *, stream: bool) -> None:
    """One request, whole or streamed to its end."""
    if stream:
        async for _ in handler.stream_completion(ASK):
            pass
    else:
        await handler.generate_response(ASK)


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_an_error_text_with_escapes_becomes_one_safe_line_in_the_exception(
    provider_id: str, stream: bool, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    server.script(provider_id, Reply(status=500, error_message=FORGED))
    handler = make_handler(provider_id)
    with pytest.raises(AllProvidersFailedError) as caught:
        await _ask(handler, stream=stream)
    assert is_one_safe_line(str(caught.value)), repr(str(caught.value))
    assert "upstream failed" in str(caught.value)  # the provider's words are kept, shown escaped
    assert all(is_one_safe_line(a.reason) for a in caught.value.attempts)


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_the_cli_prints_an_error_text_with_escapes_as_one_line(stream: bool, server: LoopbackServer) -> None:
    server.script("openai", Reply(status=500, error_message=FORGED))
    done = byok("chat", "hi", *([] if stream else ["--no-stream"]), env=openai_env(server))
    assert done.returncode == 4
    lines = [line for line in done.stderr.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith("byok: error: "), repr(done.stderr)
    assert is_one_safe_line(lines[0]), repr(lines[0])


ANTHROPIC_ERROR_EVENTS = (
    {
        "type": "message_start",
        "message": {
            "id": "m",
            "type": "message",
            "role": "assistant",
            "model": "claude-3-5-haiku-latest",
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 1, "output_tokens": 1},
        },
    },
    {"type": "error", "error": {"type": "overloaded_error", "message": FORGED}},
)
OPENAI_ERROR_EVENTS = ({"error": {"message": FORGED, "type": "server_error", "code": None}},)


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
async def test_an_error_event_with_escapes_in_a_stream_becomes_one_safe_line(
    provider_id: str, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    events = OPENAI_ERROR_EVENTS if provider_id == "openai" else ANTHROPIC_ERROR_EVENTS
    server.script(provider_id, Reply(events_raw=events))
    handler = make_handler(provider_id)
    with pytest.raises(BYOKError) as caught:
        async for _ in handler.stream_completion(ASK):
            pass
    assert is_one_safe_line(str(caught.value)), repr(str(caught.value))


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_a_redirect_to_another_origin_is_not_followed(
    provider_id: str, stream: bool, server: LoopbackServer, other_origin: LoopbackServer, make_handler: HandlerFactory
) -> None:
    path = "/v1/chat/completions" if provider_id == "openai" else "/v1/messages"
    target = f"http://127.0.0.1:{other_origin.port}/evil{path}"
    server.script(provider_id, Reply(redirect_to=target))
    handler = make_handler(provider_id)
    with pytest.raises(AllProvidersFailedError) as caught:
        await _ask(handler, stream=stream)
    assert other_origin.requests() == []  # the prompt never reached the other origin
    assert f"http://127.0.0.1:{other_origin.port}" in str(caught.value)  # the error names where it pointed


async def test_a_redirect_with_credentials_in_its_location_names_the_origin_without_them(
    server: LoopbackServer, other_origin: LoopbackServer, make_handler: HandlerFactory
) -> None:
    target = f"http://eve:S3CRET-in-location@127.0.0.1:{other_origin.port}/evil/v1/chat/completions"
    server.script("openai", Reply(redirect_to=target))
    server.script("deepseek", Reply(redirect_to=target))
    handler = make_handler("openai", "deepseek")
    with pytest.raises(AllProvidersFailedError) as caught:
        await handler.generate_response(ASK, provider_id="openai")
    assert [a.provider_id for a in caught.value.attempts] == ["openai", "deepseek"]  # a redirect fails over
    assert f"127.0.0.1:{other_origin.port}" in str(caught.value) and "S3CRET" not in str(caught.value)
    assert other_origin.requests() == []


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_a_reply_the_output_encoding_cannot_carry_is_printed_with_replacements(stream: bool, server: LoopbackServer) -> None:
    server.script("openai", Reply(text="thumbs \U0001f44d up", usage=(3, 3)))
    env = {**openai_env(server), "PYTHONIOENCODING": "ascii"}
    done = byok("chat", "hi", *([] if stream else ["--no-stream"]), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("thumbs ") and done.stdout.rstrip().endswith(" up"), repr(done.stdout)
    assert done.stderr.startswith("[openai/")  # the summary of what was paid for
