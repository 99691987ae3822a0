"""Deliberately bad: SDK clients mocked the old way, with MagicMock and AsyncMock.

Every line marked ``# drift: <name>`` is wrong for the real SDKs, yet ``mypy --strict`` accepts this file
and pytest runs it green: to mypy a MagicMock is Any, and at run time it answers any attribute, any
keyword and any shape. tests/contract/test_sdk_drift.py proves both, and that the same drift written
against ``double(OpenAIClientProtocol)`` / ``double(AnthropicClientProtocol)`` fails mypy on its line.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from unittest.mock import AsyncMock, MagicMock


def openai_client() -> MagicMock:
    return MagicMock()


async def test_openai_reply_read_with_the_anthropic_shape() -> None:
    client = openai_client()
    client.chat.completions.create = AsyncMock(return_value=MagicMock(content=[MagicMock(text="hi")]))
    completion = await client.chat.completions.create(model="m", messages=[])
    assert completion.content[0].text == "hi"  # drift: anthropic shape on an OpenAI completion


async def test_anthropic_reply_read_with_the_openai_shape() -> None:
    client = MagicMock()
    client.messages.create = AsyncMock(return_value=MagicMock(choices=[MagicMock(message=MagicMock(content="hi"))]))
    message = await client.messages.create(model="m", max_tokens=8, messages=[])
    assert message.choices[0].message.content == "hi"  # drift: choices on an Anthropic message


async def test_openai_stub_of_the_wrong_model_class() -> None:
    client = openai_client()
    client.chat.completions.create = AsyncMock(return_value=MagicMock(type="message", role="assistant"))  # drift: wrong model class stubbed
    assert (await client.chat.completions.create(model="m", messages=[])).role == "assistant"


async def test_openai_create_with_a_misspelt_keyword() -> None:
    client = openai_client()
    client.chat.completions.create = AsyncMock(return_value=MagicMock())
    await client.chat.completions.create(model="m", mesages=[])  # drift: misspelt create keyword
    client.chat.completions.create.assert_awaited_once_with(model="m", mesages=[])  # drift: misspelt keyword in an assertion


async def test_openai_stream_iterated_without_await() -> None:
    client = openai_client()
    chunks = [MagicMock(choices=[MagicMock(delta=MagicMock(content="hi"))])]
    client.chat.completions.create = MagicMock(return_value=MagicMock(__aiter__=lambda self: _aiter(chunks)))
    seen = [c.choices[0].delta.content async for c in client.chat.completions.create(model="m", messages=[], stream=True)]  # drift: create(stream=True) used as a stream without await
    assert seen == ["hi"]


async def test_anthropic_stream_call_stubbed_with_a_message() -> None:
    client = MagicMock()
    client.messages.create = AsyncMock(return_value=MagicMock(content=[MagicMock(text="hi")]))  # drift: wrong model class stubbed for a stream call
    events = await client.messages.create(model="m", max_tokens=8, messages=[], stream=True)
    assert events is client.messages.create.return_value


async def test_anthropic_stream_read_as_a_message() -> None:
    client = MagicMock()
    client.messages.create = AsyncMock(return_value=MagicMock(content=[MagicMock(text="hi")]))
    events = await client.messages.create(model="m", max_tokens=8, messages=[], stream=True)
    assert events.content[0].text == "hi"  # drift: awaited create(stream=True) read as a message


async def _aiter(items: list[MagicMock]) -> AsyncIterator[MagicMock]:
    for item in items:
        yield item
