"""The provider adapters against deep doubles of the SDK clients (``double(OpenAIClientProtocol)``).

This is the old style (tests/contract/bad_cases/old_style_sdk_suite.py: clients built from MagicMock)
rewritten: every stub, read and assertion below is checked by mypy against the real SDK's types, and the
stubbed values are real SDK objects (models validated from the wire format, streams decoding SSE)."""

from __future__ import annotations

import anthropic
import httpx2
import openai
import pytest
from protodoubles import ANY, DoubleAttributeError, DoubleNotConfiguredError, DoubleSignatureError, double, expect_misuse, mock_of, when

from byok.adapters.anthropic_wire import DEFAULT_MAX_TOKENS, AnthropicWireAdapter
from byok.adapters.base import ChatRequest, Completion, Delta
from byok.adapters.openai_wire import OpenAIWireAdapter
from byok.errors import ProviderError
from byok.types import Usage
from contracts.anthropic_client_protocol import AnthropicClientProtocol, AsyncMessagesProtocol
from contracts.openai_client_protocol import AsyncChatProtocol, AsyncCompletionsProtocol, OpenAIClientProtocol
from tests.sdk_payloads import MODEL, anthropic_message, anthropic_stream, openai_completion, openai_stream

REQUEST = ChatRequest(MODEL, ({"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}))


def openai_adapter(client: OpenAIClientProtocol) -> OpenAIWireAdapter:
    return OpenAIWireAdapter("openai", api_key="sk-test", base_url="http://127.0.0.1:9", timeout_s=1.0, client=client)


def anthropic_adapter(client: AnthropicClientProtocol) -> AnthropicWireAdapter:
    return AnthropicWireAdapter("anthropic", api_key="sk-ant-test", base_url="http://127.0.0.1:9", timeout_s=1.0, client=client)


# ----- the doubles themselves ------------------------------------------------------------------------


def test_children_are_doubles_of_the_child_protocols_made_once() -> None:
    client = double(OpenAIClientProtocol)
    assert client.chat is client.chat
    assert client.chat.completions is client.chat.completions
    assert isinstance(client.chat, AsyncChatProtocol)
    assert isinstance(client.chat.completions, AsyncCompletionsProtocol)
    assert isinstance(double(AnthropicClientProtocol).messages, AsyncMessagesProtocol)
    assert double(OpenAIClientProtocol).chat is not client.chat  # each double has its own children


async def test_children_are_as_strict_as_the_root() -> None:
    client = double(OpenAIClientProtocol)
    with expect_misuse(DoubleAttributeError, match="completion"):
        client.chat.completion  # type: ignore[attr-defined]  # ty: ignore[missing-attribute]  # the misspelling under test
    with expect_misuse(DoubleAttributeError, match="creat"):
        client.chat.completions.creat = None  # type: ignore[attr-defined]  # ty: ignore[missing-attribute]  # the misspelling under test
    with expect_misuse(DoubleNotConfiguredError, match=r"double\(OpenAIClientProtocol\)\.chat\.completions\.create\(\) was called"):
        await client.chat.completions.create(model=MODEL, messages=[])
    with expect_misuse(DoubleSignatureError, match="matches none of the 3 overloads"):
        await client.chat.completions.create(model=MODEL, mesages=[])  # type: ignore[call-overload]  # ty: ignore[no-matching-overload]  # misspelt on purpose


async def test_a_call_matching_any_overload_is_accepted_and_recorded_as_written() -> None:
    client = double(AnthropicClientProtocol)
    mock_of(client.messages.create).returns(anthropic_message("hi"))
    await client.messages.create(model=MODEL, max_tokens=5, messages=[])
    when(lambda: client.messages.create(model=MODEL, max_tokens=5, messages=[], stream=True)).returns(anthropic_stream("x"))
    await client.messages.create(model=MODEL, max_tokens=5, messages=[], stream=True)
    assert mock_of(client.messages.create).await_count == 2
    assert mock_of(client.messages.create).calls[1].kwargs == {"model": MODEL, "max_tokens": 5, "messages": [], "stream": True}


async def test_when_stubs_only_the_recorded_call_and_does_not_record_it() -> None:
    client = double(OpenAIClientProtocol)
    create = client.chat.completions.create
    stub = when(lambda: create(model=MODEL, messages=ANY, stream=True))
    stub.returns(openai_stream("a"))
    assert mock_of(create).call_count == 0
    with expect_misuse(DoubleNotConfiguredError):
        await create(model=MODEL, messages=[])  # another call: the method's own configuration applies
    assert isinstance(await create(model=MODEL, messages=[], stream=True), openai.AsyncStream)
    with pytest.raises(AssertionError, match="expected exactly one call"):
        stub.assert_called_once()  # two calls were made
    with pytest.raises(TypeError, match=r"when\(\) takes a lambda that calls one method of a double"):
        when(lambda: 3)


# ----- OpenAI --------------------------------------------------------------------------------------


async def test_openai_complete_reads_the_completion() -> None:
    client = double(OpenAIClientProtocol)
    mock_of(client.chat.completions.create).returns(openai_completion("Hello!", usage=(7, 2)))
    assert await openai_adapter(client).complete(REQUEST) == Completion("Hello!", "stop", Usage(7, 2))
    mock_of(client.chat.completions.create).assert_awaited_once_with(
        model=MODEL,
        messages=[],  # the messages go into the body as they are, past the SDK's per-message conversion
        temperature=0.7,
        max_tokens=openai.omit,
        stop=openai.omit,
        extra_body={"messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}]},
    )


async def test_openai_complete_without_choices_is_a_provider_error() -> None:
    client = double(OpenAIClientProtocol)
    empty = openai_completion("x").model_copy(update={"choices": []})
    mock_of(client.chat.completions.create).returns(empty)
    with pytest.raises(ProviderError, match="malformed response: no list of choices"):
        await openai_adapter(client).complete(REQUEST)


async def test_openai_stream_yields_text_then_usage() -> None:
    client = double(OpenAIClientProtocol)
    stub = when(
        lambda: client.chat.completions.create(
            model=MODEL,
            messages=ANY,
            temperature=0.7,
            max_tokens=openai.omit,
            stop=openai.omit,
            stream=True,
            stream_options={"include_usage": True},
            extra_body=ANY,
        )
    )
    stub.returns(openai_stream("hello there", usage=(4, 2)))
    deltas = [delta async for delta in openai_adapter(client).stream(REQUEST)]
    assert deltas == [Delta("hello "), Delta("there"), Delta("", "stop", Usage(4, 2))]
    stub.assert_called_once()


async def test_openai_aclose_closes_the_client() -> None:
    client = double(OpenAIClientProtocol)
    await openai_adapter(client).aclose()
    mock_of(client.close).assert_awaited_once_with()


# ----- Anthropic -----------------------------------------------------------------------------------


async def test_anthropic_complete_reads_the_message() -> None:
    client = double(AnthropicClientProtocol)
    mock_of(client.messages.create).returns(anthropic_message("Bonjour", usage=(5, 1)))
    assert await anthropic_adapter(client).complete(REQUEST) == Completion("Bonjour", "stop", Usage(5, 1))
    mock_of(client.messages.create).assert_awaited_once_with(
        model=MODEL,
        messages=[{"role": "user", "content": "hi"}],
        max_tokens=DEFAULT_MAX_TOKENS,
        system="be brief",
        stop_sequences=anthropic.omit,
    )


async def test_anthropic_stream_yields_text_then_usage() -> None:
    client = double(AnthropicClientProtocol)
    stub = when(
        lambda: client.messages.create(
            model=MODEL, messages=ANY, max_tokens=DEFAULT_MAX_TOKENS, system="be brief", stop_sequences=anthropic.omit, stream=True
        )
    )
    stub.returns(anthropic_stream("hello there", usage=(6, 3)))
    deltas = [delta async for delta in anthropic_adapter(client).stream(REQUEST)]
    assert deltas == [Delta("hello "), Delta("there"), Delta("", "stop", Usage(6, 3))]
    stub.assert_called_once()


async def test_anthropic_failure_is_a_provider_error_without_the_key() -> None:
    client = double(AnthropicClientProtocol)
    mock_of(client.messages.create).raises(anthropic.APIConnectionError(request=httpx2.Request("POST", "http://127.0.0.1:9/v1/messages")))
    with pytest.raises(ProviderError) as raised:
        await anthropic_adapter(client).complete(REQUEST)
    assert "sk-ant-test" not in str(raised.value)
