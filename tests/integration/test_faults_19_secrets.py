"""Issue 19, credentials: a base URL that carries a user and password, and keys that cannot go into a header.
The password never appears in CLI output, reprs, exceptions or logs at any level (the HTTP libraries'
loggers included); a bad key is refused when the handler is built, before anything is sent."""

from __future__ import annotations

import base64
import logging

import pytest

from byok import AllProvidersFailedError, BYOKHandler, InvalidRequestError, Message, ProviderError
from byok.providers import PROVIDERS
from tests.integration.conftest import KEYS
from tests.integration.test_cli_e2e import byok, clean_env
from tests.loopback import LoopbackServer, Reply

ASK: list[Message] = [{"role": "user", "content": "ping"}]
PASSWORD = "hunter2-PASSWORD-9f8e7d"


def with_credentials(url: str) -> str:
    """``url`` with the user ``bob`` and PASSWORD in it."""
    return url.replace("http://", f"http://bob:{PASSWORD}@", 1)


def handler_for(server: LoopbackServer, provider_id: str, base_url: str | None = None) -> BYOKHandler:
    url = base_url or with_credentials(server.base_url(provider_id, PROVIDERS[provider_id].wire))
    return BYOKHandler(api_keys={provider_id: KEYS[provider_id]}, base_urls={provider_id: url}, timeout_s=5.0)


def test_byok_providers_shows_the_endpoint_without_its_password(server: LoopbackServer) -> None:
    env = clean_env(
        OPENAI_API_KEY="sk-e2e-0123456789abcdef",
        OPENAI_BASE_URL=with_credentials(server.base_url("openai")),
        ANTHROPIC_API_KEY="sk-e2e-anthropic-0123456789",
        ANTHROPIC_BASE_URL=with_credentials(server.base_url("anthropic", "anthropic")),
    )
    done = byok("providers", env=env)
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    assert f"127.0.0.1:{server.port}/openai/v1" in done.stdout  # the endpoint is still shown


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_a_password_in_the_base_url_reaches_no_log_at_any_level(
    provider_id: str, stream: bool, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with handler_for(server, provider_id) as handler:
        text = "".join([c.text async for c in handler.stream_completion(ASK)]) if stream else (await handler.generate_response(ASK)).text
        shown = repr(handler)
    assert text == "echo: ping"
    assert PASSWORD not in caplog.text + shown
    assert "HTTP Request: POST" in caplog.text  # the HTTP client did log the request


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
async def test_a_password_in_the_base_url_reaches_no_exception(
    provider_id: str, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.script(provider_id, Reply(status=400, error_message="bad request"))
    async with handler_for(server, provider_id) as handler:
        with pytest.raises(ProviderError) as caught:
            await handler.generate_response(ASK)
    assert PASSWORD not in str(caught.value) + repr(caught.value) + caplog.text


async def test_a_password_in_an_unreachable_base_url_reaches_no_exception(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    handler = BYOKHandler(api_keys={"openai": KEYS["openai"]}, base_urls={"openai": f"http://bob:{PASSWORD}@127.0.0.1:9/v1"})
    async with handler:
        with pytest.raises(AllProvidersFailedError, match="connection failed") as caught:
            await handler.generate_response(ASK)
    assert PASSWORD not in str(caught.value) + repr(caught.value) + caplog.text


async def test_a_same_origin_redirect_is_followed_without_logging_the_password(
    server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    moved = f"http://127.0.0.1:{server.port}/moved/v1/chat/completions"
    server.script("openai", Reply(redirect_to=moved))
    server.script("moved", Reply(text="from the new path"))
    async with handler_for(server, "openai") as handler:
        result = await handler.generate_response(ASK)
    assert result.text == "from the new path"
    assert PASSWORD not in caplog.text


BAD_KEYS = [
    ("sk-abc\n0123456789abcdef", "newline"),
    ("sk-abc\x000123456789abcdef", "NUL"),
    ("sk-abc\x1b[2J0123456789", "escape"),
    ("sk-clé-0123456789abcdef", "non-ASCII"),
]


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
@pytest.mark.parametrize("key", [k for k, _ in BAD_KEYS], ids=[i for _, i in BAD_KEYS])
async def test_a_key_that_cannot_be_a_header_is_refused_when_the_handler_is_built(
    key: str, provider_id: str, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    base_url = server.base_url(provider_id, PROVIDERS[provider_id].wire)
    with pytest.raises(InvalidRequestError, match=provider_id) as caught:
        BYOKHandler(api_keys={provider_id: key}, base_urls={provider_id: base_url})
    secret = key[6:]  # what follows the first characters of the key
    assert secret not in str(caught.value) + caplog.text
    assert server.requests() == []


def test_the_cli_refuses_a_non_ascii_key_from_the_environment_with_exit_2(server: LoopbackServer) -> None:
    key = "sk-clé-0123456789abcdef"
    done = byok("chat", "hi", env=clean_env(OPENAI_API_KEY=key, OPENAI_BASE_URL=server.base_url("openai")))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("byok: error: ") and done.stderr.count("\n") == 1
    assert "0123456789abcdef" not in done.stderr
    assert server.requests() == []


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
async def test_the_credentials_of_a_base_url_reach_the_server_as_basic_auth(provider_id: str, server: LoopbackServer) -> None:
    handler = BYOKHandler(
        api_keys={provider_id: KEYS[provider_id]}, base_urls={provider_id: with_credentials(server.base_url(provider_id))}
    )
    async with handler:
        await handler.generate_response([{"role": "user", "content": "hi"}])
    expected = "Basic " + base64.b64encode(f"bob:{PASSWORD}".encode()).decode()
    assert server.requests(provider_id)[0].headers["authorization"] == expected
