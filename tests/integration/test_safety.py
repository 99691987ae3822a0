"""Bad input, secrets, concurrency and configuration from the environment."""

from __future__ import annotations

import asyncio
import logging
import re
import subprocess
import sys

import pytest

from byok import BYOKHandler, InvalidRequestError, Message, NoProvidersConfiguredError, ProviderError
from byok.providers import PROVIDERS
from tests.integration.conftest import KEYS, HandlerFactory
from tests.loopback import LoopbackServer, Reply

BAD_MESSAGES: list[tuple[object, str]] = [
    ([], "empty"),
    ("hello", "list"),
    ([{"role": "wizard", "content": "hi"}], "unknown role 'wizard'"),
    ([{"role": "user", "content": 42}], "content must be a str"),
    ([{"role": "user"}], "content must be a str"),
    (["hello"], "messages[0] must be a dict"),
    ([{"role": "system", "content": "rules"}], "no user message"),
    ([{"role": "assistant", "content": "hello"}], "no user message"),
]


@pytest.mark.parametrize(("bad", "says"), BAD_MESSAGES, ids=[b[1] for b in BAD_MESSAGES])
async def test_bad_messages_raise_before_sending(bad: object, says: str, server: LoopbackServer, make_handler: HandlerFactory) -> None:
    handler = make_handler("openai")
    with pytest.raises(InvalidRequestError, match=re.escape(says)):
        await handler.generate_response(bad)  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # the wrong shapes under test
    with pytest.raises(InvalidRequestError, match=re.escape(says)):
        async for _ in handler.stream_completion(bad):  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # the wrong shapes under test
            pass
    assert server.requests() == []


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"provider_id": "nosuch"}, "unknown provider_id 'nosuch'"),
        ({"provider_id": "mistral"}, "'mistral' has no API key"),
        ({"model": "gpt-99"}, "unknown model 'gpt-99'"),
        ({"model": "claude-sonnet-4-0", "provider_id": "openai"}, "belongs to 'anthropic'"),
        ({"temperature": 3.0}, "temperature"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"task_type": "poetry"}, "unknown task_type 'poetry'"),
    ],
)
async def test_bad_options_raise_before_sending(
    options: dict[str, object], says: str, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    with pytest.raises(InvalidRequestError, match=re.escape(says)):
        await make_handler("openai").generate_response([{"role": "user", "content": "hi"}], **options)  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # bad values on purpose
    assert server.requests() == []


async def test_no_keys_at_all_is_a_clear_error() -> None:
    handler = BYOKHandler(api_keys={})
    assert handler.get_available_providers() == []
    with pytest.raises(NoProvidersConfiguredError, match="OPENAI_API_KEY"):
        await handler.generate_response([{"role": "user", "content": "hi"}])


async def test_keys_and_base_urls_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, server: LoopbackServer) -> None:
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DEEPSEEK_API_KEY", "MOONSHOT_API_KEY", "MISTRAL_API_KEY", "GEMINI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GOOGLE_API_KEY", KEYS["gemini"])
    monkeypatch.setenv("GEMINI_BASE_URL", server.base_url("gemini"))
    monkeypatch.setenv("MISTRAL_API_KEY", "   ")  # blank: not configured
    async with BYOKHandler() as handler:
        assert handler.get_available_providers() == ["gemini"]
        result = await handler.generate_response([{"role": "user", "content": "hi"}])
    assert result.provider_id == "gemini"
    assert server.requests("gemini")[0].headers["authorization"] == f"Bearer {KEYS['gemini']}"


async def test_keys_never_appear_in_reprs_errors_or_logs(
    server: LoopbackServer, make_handler: HandlerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    handler = make_handler("openai", "anthropic")
    # A provider that quotes the key back in its error body, as some do for a rejected key.
    server.script("openai", Reply(status=401, error_message=f"Incorrect API key provided: {KEYS['openai']}"))
    server.script("anthropic", Reply(status=400, error_message=f"bad key {KEYS['anthropic']}"))
    with pytest.raises(ProviderError) as caught:
        await handler.generate_response([{"role": "user", "content": "hi"}], provider_id="openai")
    seen = [repr(handler), str(handler), str(caught.value), repr(caught.value), caplog.text]
    for text in seen:
        for key in KEYS.values():
            assert key not in text
    assert "[redacted]" in str(caught.value)


async def test_fifty_concurrent_requests_never_cross_replies(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    handler = make_handler("openai", "anthropic")
    prompts = [f"request number {i} {'x' * i}" for i in range(50)]

    async def ask(i: int, prompt: str) -> str:
        provider = "openai" if i % 2 else "anthropic"
        if i % 3:
            return (await handler.generate_response([{"role": "user", "content": prompt}], provider_id=provider)).text
        return "".join([c.text async for c in handler.stream_completion([{"role": "user", "content": prompt}], provider_id=provider)])

    replies = await asyncio.gather(*(ask(i, p) for i, p in enumerate(prompts)))
    assert replies == [f"echo: {p}" for p in prompts]


def test_importing_byok_loads_no_sdk() -> None:
    code = "import sys, byok; print(sorted(m for m in sys.modules if m.split('.')[0] in ('openai', 'anthropic', 'httpx', 'httpx2')))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


async def test_conversation_can_switch_models_mid_way(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    handler = make_handler("openai", "anthropic")
    history: list[Message] = [{"role": "user", "content": "first"}]
    served = []
    for model in ("gpt-4o-mini", "claude-3-5-haiku-latest", "gpt-4.1"):
        result = await handler.generate_response(history, model=model)
        served.append(f"{result.provider_id}/{result.model}")
        history.extend([{"role": "assistant", "content": result.text}, {"role": "user", "content": f"after {model}"}])
    assert served == ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest", "openai/gpt-4.1"]
    assert len(server.requests("anthropic")[0].body["messages"]) == 3


async def test_closing_releases_owned_clients_and_a_closed_handler_can_still_send(
    server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    handler = make_handler("openai")
    async with handler:
        for _ in range(2):
            await handler.generate_response([{"role": "user", "content": "before"}])
        assert len(handler._owned) == 1  # one client per provider, reused
    assert handler._owned == [] and handler._clients == {}
    again = await handler.generate_response([{"role": "user", "content": "after"}])  # a new client is built
    assert again.text == "echo: after"


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
async def test_the_handlers_size_cap_and_provider_names_reach_its_adapters(provider_id: str, server: LoopbackServer) -> None:
    handler = BYOKHandler(
        api_keys={provider_id: KEYS[provider_id], "deepseek": KEYS["deepseek"]},
        base_urls={provider_id: server.base_url(provider_id, PROVIDERS[provider_id].wire), "deepseek": server.base_url("deepseek")},
        max_response_bytes=2_000,
    )
    async with handler:
        server.script(provider_id, Reply(text="x" * 5_000), Reply(status=400, error_message="bad"))
        result = await handler.generate_response([{"role": "user", "content": "hi"}], provider_id=provider_id)
        assert result.provider_id == "deepseek"  # the 5 KB reply was refused
        with pytest.raises(ProviderError) as caught:
            await handler.generate_response([{"role": "user", "content": "hi"}], provider_id=provider_id)
    assert (caught.value.provider_id, caught.value.status) == (provider_id, 400)
