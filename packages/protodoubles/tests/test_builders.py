"""The SDK builders (``protodoubles.builders.openai`` and ``.anthropic``): every object they give is the SDK's
own, validated by its models, and every stream is the SDK's own ``Stream``/``AsyncStream`` that the SDK's
accumulators turn back into the non-streamed object. A shape the SDK would refuse is refused at build time."""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys
import warnings
from collections.abc import Sequence
from typing import Protocol

import anthropic
import openai
import pydantic
import pytest
from anthropic.lib.streaming import AsyncMessageStream, AsyncMessageStreamManager, MessageStream
from anthropic.types import Message, TextBlock, ToolUseBlock
from openai.lib.streaming.chat import ChatCompletionStreamState
from openai.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessageToolCall, ParsedChatCompletion
from protodoubles import DoubleTypeError, double, expect_misuse, mock_of
from protodoubles.builders import anthropic as claude
from protodoubles.builders import openai as gpt

WEATHER = {"city": "Paris", "days": 2}


# OpenAI


def test_a_chat_completion_is_the_sdk_s_own_and_full_from_one_call() -> None:
    completion = gpt.chat_completion("hi")
    assert type(completion) is ChatCompletion
    assert ChatCompletion.model_validate_json(completion.model_dump_json()) == completion  # the wire form reads back
    choice = completion.choices[0]
    assert (choice.message.role, choice.message.content, choice.finish_reason) == ("assistant", "hi", "stop")
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens, completion.usage.total_tokens) == (3, 2, 5)
    assert gpt.chat_completion("hi", usage=None, model="gpt-4.1").usage is None


def test_tool_calls_carry_json_encoded_arguments_and_set_the_finish_reason() -> None:
    call = gpt.tool_call("get_weather", WEATHER)
    completion = gpt.chat_completion(tool_calls=[call, gpt.tool_call("get_time")], usage=(10, 5))
    message = completion.choices[0].message
    assert completion.choices[0].finish_reason == "tool_calls"
    assert message.content is None
    assert message.tool_calls is not None
    first, second = message.tool_calls
    assert first == call
    assert call.function.arguments == '{"city": "Paris", "days": 2}'  # a string of JSON, as the wire carries it
    assert json.loads(call.function.arguments) == WEATHER
    assert second.type == "function"
    assert json.loads(second.function.arguments) == {}
    assert first.id.startswith("call_") and first.id != second.id
    assert gpt.tool_call("get_weather", WEATHER).id == call.id  # the same call gets the same id
    assert gpt.tool_call("get_weather", WEATHER, id="call_1").id == "call_1"
    assert gpt.tool_call("f", '{"broken"').function.arguments == '{"broken"'  # a raw wire text, as a model may send
    assert completion.usage == gpt.usage(10, 5)
    assert gpt.usage(10, 5).total_tokens == 15


def _accumulated(chunks: list[ChatCompletionChunk]) -> ParsedChatCompletion[None]:
    state: ChatCompletionStreamState[None] = ChatCompletionStreamState()
    for chunk in chunks:
        state.handle_chunk(chunk)
    return state.get_final_completion()


def _calls(calls: Sequence[object] | None) -> list[tuple[str, str, str]]:
    parts = []
    for call in calls or []:
        assert isinstance(call, ChatCompletionMessageToolCall)  # a function call (ParsedFunctionToolCall is one too)
        parts.append((call.id, call.function.name, call.function.arguments))
    return parts


def _assert_streamed(chunks: list[ChatCompletionChunk], expected: ChatCompletion) -> None:
    """The chunks add up to ``expected``: the text, the tool calls, the finish reason, and a last chunk of usage."""
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text == expected.choices[0].message.content
    assert [chunk.choices[0].delta.content for chunk in chunks[1:3]] == ["hello ", "world"]  # a word at a time
    assert chunks[-1].choices == []
    assert chunks[-1].usage == expected.usage
    final = _accumulated(chunks)  # the SDK's own accumulator, the one client.chat.completions.stream() uses
    message, want = final.choices[0].message, expected.choices[0].message
    assert message.content == want.content
    assert final.choices[0].finish_reason == expected.choices[0].finish_reason
    assert _calls(message.tool_calls) == _calls(want.tool_calls) != []
    assert final.usage == expected.usage


def test_a_sync_stream_is_the_sdk_s_stream_and_adds_up_to_the_completion() -> None:
    calls = [gpt.tool_call("get_weather", WEATHER)]
    stream = gpt.chat_completion_stream("hello world", tool_calls=calls, usage=(10, 5))
    assert type(stream) is openai.Stream
    chunks = list(stream)
    assert chunks == gpt.chat_completion_chunks("hello world", tool_calls=calls, usage=(10, 5))  # decoded as validated
    _assert_streamed(chunks, gpt.chat_completion("hello world", tool_calls=calls, usage=(10, 5)))


def test_an_async_stream_is_the_sdk_s_async_stream_and_adds_up_to_the_completion() -> None:
    calls = [gpt.tool_call("get_weather", WEATHER), gpt.tool_call("get_time", {"zone": "CET"})]

    async def drain() -> list[ChatCompletionChunk]:
        stream = gpt.async_chat_completion_stream("hello world", tool_calls=calls, finish_reason="tool_calls")
        assert type(stream) is openai.AsyncStream
        return [chunk async for chunk in stream]

    chunks = asyncio.run(drain())
    _assert_streamed(chunks, gpt.chat_completion("hello world", tool_calls=calls))


def test_a_stream_without_usage_has_no_usage_chunk() -> None:
    chunks = list(gpt.chat_completion_stream("one two three", usage=None))
    assert all(chunk.usage is None and chunk.choices for chunk in chunks)
    assert [chunk.choices[0].finish_reason for chunk in chunks][-1] == "stop"
    assert "".join(chunk.choices[0].delta.content or "" for chunk in chunks) == "one two three"


def test_openai_builders_refuse_a_shape_the_sdk_would_not_give() -> None:
    with pytest.raises(pydantic.ValidationError, match="finish_reason"):  # the SDK's model refuses it
        gpt.chat_completion("hi", finish_reason="finished")
    with pytest.raises(pydantic.ValidationError, match="finish_reason"):  # a stream is checked when built, not when read
        gpt.chat_completion_stream("hi", finish_reason="finished")
    with pytest.raises(ValueError, match=r"tool_call\('f'\): the arguments are not JSON"):
        gpt.tool_call("f", {"when": object()})
    with pytest.raises(TypeError, match=r"each tool call must be a tool_call\(\.\.\.\) result, not dict"):
        gpt.chat_completion(tool_calls=[{"id": "call_1", "function": {"name": "f", "arguments": "{}"}}])  # type: ignore[list-item]  # the wrong shape under test
    with pytest.raises(ValueError, match=r"usage must be \(prompt_tokens, completion_tokens\)"):
        gpt.chat_completion("hi", usage=(1, 2, 3))  # type: ignore[arg-type]  # the wrong shape under test
    with pytest.raises(ValueError, match="prompt_tokens must be a whole number of tokens, zero or more, not -1"):
        gpt.usage(-1, 2)


# Anthropic


def test_a_message_is_the_sdk_s_own_and_full_from_one_call() -> None:
    built = claude.message("hi")
    assert type(built) is Message
    assert Message.model_validate_json(built.model_dump_json()) == built
    assert built.content == [claude.text_block("hi")]
    assert (built.role, built.stop_reason, built.stop_sequence) == ("assistant", "end_turn", None)
    assert (built.usage.input_tokens, built.usage.output_tokens) == (3, 2)
    assert claude.message("hi", usage=claude.usage(7, 8)).usage == claude.usage(7, 8)


def test_a_message_with_text_and_tool_use_blocks() -> None:
    tool = claude.tool_use_block("get_weather", WEATHER)
    built = claude.message([claude.text_block("Let me check."), tool], usage=(10, 5))
    assert built.stop_reason == "tool_use"  # the default when a tool_use block is there
    text, use = built.content
    assert isinstance(text, TextBlock) and text.text == "Let me check."
    assert isinstance(use, ToolUseBlock)
    assert (use.name, use.input, use.type) == ("get_weather", WEATHER, "tool_use")
    assert use.id.startswith("toolu_") and use.id == claude.tool_use_block("get_weather", WEATHER).id
    assert claude.tool_use_block("get_weather", WEATHER, id="toolu_1").id == "toolu_1"
    assert claude.message([tool], stop_reason="max_tokens").stop_reason == "max_tokens"


EVENTS = [
    "message_start",
    *["content_block_start", "content_block_delta", "content_block_delta", "content_block_stop"],  # "Let me"
    *["content_block_start", "content_block_delta", "content_block_delta", "content_block_stop"],  # {"city": ...
    "message_delta",
    "message_stop",
]


def test_a_sync_stream_carries_the_full_event_sequence() -> None:
    content = [claude.text_block("Let me"), claude.tool_use_block("get_weather", {"city": "Paris"})]
    stream = claude.message_stream(content, usage=(10, 5))
    assert type(stream) is anthropic.Stream
    events = list(stream)
    assert [event.type for event in events] == EVENTS
    assert events == claude.message_events(content, usage=(10, 5))  # decoded as validated
    partial = [e.delta.partial_json for e in events if e.type == "content_block_delta" and e.delta.type == "input_json_delta"]
    assert "".join(partial) == '{"city": "Paris"}'
    ending = events[-2]
    assert ending.type == "message_delta"
    assert (ending.delta.stop_reason, ending.usage.output_tokens) == ("tool_use", 5)


def _assert_final(final: Message, expected: Message) -> None:
    assert [block.model_dump() for block in final.content] == [block.model_dump() for block in expected.content]
    assert (final.id, final.model, final.stop_reason, final.usage) == (expected.id, expected.model, expected.stop_reason, expected.usage)


def test_the_sync_manager_is_what_messages_stream_returns_and_accumulates_to_the_message() -> None:
    content = [claude.text_block("hello world"), claude.tool_use_block("get_weather", WEATHER)]
    with claude.message_stream_manager(content, usage=(10, 5)) as stream:
        assert type(stream) is MessageStream
        assert list(stream.text_stream) == ["hello ", "world"]
        final = stream.get_final_message()
    _assert_final(final, claude.message(content, usage=(10, 5)))
    with claude.message_stream_manager("just text") as stream:
        assert stream.get_final_text() == "just text"


def test_the_async_manager_and_stream_accumulate_to_the_message() -> None:
    content = [claude.text_block("hello world"), claude.tool_use_block("get_weather", WEATHER)]

    async def run() -> tuple[list[str], Message, list[str]]:
        async with claude.async_message_stream_manager(content, usage=(10, 5)) as stream:
            assert type(stream) is AsyncMessageStream
            texts = [text async for text in stream.text_stream]
            final = await stream.get_final_message()
        raw = claude.async_message_stream(content, stop_reason="max_tokens")
        assert type(raw) is anthropic.AsyncStream
        return texts, final, [event.type async for event in raw]

    texts, final, types = asyncio.run(run())
    assert texts == ["hello ", "world"]
    _assert_final(final, claude.message(content, usage=(10, 5)))
    assert types == [event.type for event in claude.message_events(content)]
    assert types[:5] == EVENTS[:5] and types[-2:] == EVENTS[-2:]


def test_an_async_manager_never_entered_leaves_nothing_unawaited() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        claude.async_message_stream_manager("unused")
        gc.collect()
    assert [str(w.message) for w in caught] == []


def test_anthropic_builders_refuse_a_shape_the_sdk_would_not_give() -> None:
    with pytest.raises(pydantic.ValidationError, match="stop_reason"):  # the SDK's model refuses it
        claude.message("hi", stop_reason="finished")  # type: ignore[arg-type]  # the wrong value under test
    with pytest.raises(pydantic.ValidationError, match="stop_reason"):
        claude.message_stream_manager("hi", stop_reason="finished")  # type: ignore[arg-type]  # the wrong value under test
    with pytest.raises(ValueError, match=r"tool_use_block\('f'\): the arguments are not JSON"):
        claude.tool_use_block("f", {"ids": {1, 2}})
    with pytest.raises(TypeError, match=r"each content block must be a text_block\(\.\.\.\) or tool_use_block\(\.\.\.\) result, not str"):
        claude.message(["hi"])  # type: ignore[list-item]  # the wrong shape under test
    with pytest.raises(ValueError, match=r"usage must be \(input_tokens, output_tokens\) or a Usage"):
        claude.message("hi", usage=[1, 2])  # type: ignore[arg-type]  # the wrong shape under test
    with pytest.raises(ValueError, match=r"output_tokens must be a whole number of tokens, zero or more, not 1\.5"):
        claude.usage(1, 1.5)  # type: ignore[arg-type]  # the wrong type under test


@pytest.mark.parametrize(("module", "extra"), [("openai", "openai"), ("anthropic", "anthropic")])
def test_a_builders_module_without_its_sdk_names_the_extra(module: str, extra: str) -> None:
    script = f"import sys\nsys.modules[{module!r}] = None\nimport protodoubles.builders.{module}"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 1
    assert f"ImportError: protodoubles.builders.{module} needs the" in result.stderr
    assert f"pip install 'protodoubles[{extra}]'" in result.stderr


class Provider(Protocol):
    """What code under test calls: the SDK's own return types, as a generated protocol of a client has them."""

    async def create(self, *, model: str, stream: bool) -> openai.AsyncStream[ChatCompletionChunk]: ...
    def messages_stream(self, *, model: str) -> AsyncMessageStreamManager: ...


async def _reply(provider: Provider) -> tuple[str, str]:
    """Code under test: it drains an OpenAI stream and an Anthropic stream helper."""
    chunks = await provider.create(model="gpt-4o-mini", stream=True)
    first = "".join([chunk.choices[0].delta.content or "" async for chunk in chunks if chunk.choices])
    async with provider.messages_stream(model="claude-sonnet-4-5") as stream:
        second = await stream.get_final_text()
    return first, second


def test_a_double_returns_what_the_builders_give_and_the_code_under_test_reads_it_as_the_sdk_s() -> None:
    provider = double(Provider)
    mock_of(provider.create).returns(gpt.async_chat_completion_stream("hello world"))  # mypy checks the type
    mock_of(provider.messages_stream).returns(claude.async_message_stream_manager("bonjour tout le monde"))
    assert asyncio.run(_reply(provider)) == ("hello world", "bonjour tout le monde")
    mock_of(provider.create).assert_awaited_once_with(model="gpt-4o-mini", stream=True)


class Completer(Protocol):
    def complete(self) -> ChatCompletion: ...


def test_an_sdk_object_with_a_key_its_model_does_not_declare_is_refused() -> None:
    completer = double(Completer)
    mock_of(completer.complete).returns(gpt.chat_completion("hi"))
    data = gpt.chat_completion("hi").model_dump()
    data["choices"][0]["message"]["text"] = data["choices"][0]["message"].pop("content")  # a misspelt field
    misspelt = ChatCompletion.model_validate(data)  # validates: the SDK's models keep unknown keys
    with expect_misuse(DoubleTypeError, match=r"Choice\.message: ChatCompletionMessage was given key\(s\) it does not declare: 'text'"):
        mock_of(completer.complete).returns(misspelt)
