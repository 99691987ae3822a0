"""Real OpenAI SDK objects for doubles to return, one call each: a chat completion, its tool calls and
usage, and a stream of chunks (the SDK's own ``Stream`` and ``AsyncStream``). Every object is validated by
the SDK's models (``model_validate``), so a builder never gives a shape the SDK would refuse.

Needs the SDK: ``pip install 'protodoubles[openai]'``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from typing_extensions import Unpack

try:
    import openai
    from openai.types import CompletionUsage
    from openai.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessageToolCall
except ImportError as error:
    raise ImportError(f"protodoubles.builders.openai needs the OpenAI SDK: pip install 'protodoubles[openai]' ({error})") from error

from protodoubles._internal.builders import wire

__all__ = [
    "CompletionOptions",
    "async_chat_completion_stream",
    "chat_completion",
    "chat_completion_chunks",
    "chat_completion_stream",
    "tool_call",
    "usage",
]

MODEL = "gpt-4o-mini"
COMPLETION_ID = "chatcmpl-protodoubles"
_HTTP = wire.http_library(openai.DefaultHttpxClient)


class CompletionOptions(TypedDict, total=False):
    """The keyword options of :func:`chat_completion`, taken as well by the chunk and stream builders."""

    tool_calls: Sequence[ChatCompletionMessageToolCall]
    finish_reason: str | None
    usage: CompletionUsage | tuple[int, int] | None
    model: str
    id: str
    created: int


def usage(prompt_tokens: int = 3, completion_tokens: int = 2) -> CompletionUsage:
    """A ``CompletionUsage``; ``total_tokens`` is the sum, as the API reports it."""
    wire.check_counts("usage()", prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
    total = prompt_tokens + completion_tokens
    return CompletionUsage.model_validate({"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": total})


def tool_call(
    name: str, arguments: Mapping[str, object] | str | None = None, *, id: str | None = None
) -> ChatCompletionMessageToolCall:  # the SDK's own field name
    """A function tool call. ``arguments`` is JSON-encoded as the wire carries it; a string is taken as the
    raw wire text (also a malformed one, as a model may send). The default ``id`` is the same for the same
    call."""
    text = (
        "{}" if arguments is None else arguments if isinstance(arguments, str) else wire.arguments_json(f"tool_call({name!r})", arguments)
    )
    call_id = wire.stable_id("call_", name, text) if id is None else id
    return ChatCompletionMessageToolCall.model_validate({"id": call_id, "type": "function", "function": {"name": name, "arguments": text}})


def chat_completion(
    content: str | None = None,
    *,
    tool_calls: Sequence[ChatCompletionMessageToolCall] = (),
    finish_reason: str | None = None,
    usage: CompletionUsage | tuple[int, int] | None = (3, 2),
    model: str = MODEL,
    id: str = COMPLETION_ID,  # the SDK's own field name
    created: int = 0,
) -> ChatCompletion:
    """A ``ChatCompletion`` with one choice: an assistant message with ``content`` and ``tool_calls``.
    ``finish_reason`` defaults to ``"tool_calls"`` when there are tool calls and ``"stop"`` otherwise;
    ``usage`` is ``(prompt_tokens, completion_tokens)``, a ``CompletionUsage``, or ``None`` for none."""
    calls = _checked_calls(tool_calls)
    message: dict[str, object] = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = [call.model_dump(mode="json", exclude_unset=True) for call in calls]
    reason = ("tool_calls" if calls else "stop") if finish_reason is None else finish_reason
    data: dict[str, object] = {
        "id": id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": reason, "logprobs": None}],
    }
    counted = _usage(usage)
    if counted is not None:
        data["usage"] = counted.model_dump(mode="json", exclude_unset=True)
    return ChatCompletion.model_validate(data)


def chat_completion_chunks(content: str | None = None, **options: Unpack[CompletionOptions]) -> list[ChatCompletionChunk]:
    """The chunks a streamed :func:`chat_completion` arrives in, each validated: the role, the content one
    word at a time, each tool call (its id and name, then its arguments in pieces), the finish reason, and,
    when ``usage`` is not ``None``, a last chunk with no choices that carries it (what the API sends with
    ``stream_options={"include_usage": True}``)."""
    completion = chat_completion(content, **options)
    return [ChatCompletionChunk.model_validate(data) for data in _chunk_data(completion, _checked_calls(options.get("tool_calls", ())))]


def chat_completion_stream(content: str | None = None, **options: Unpack[CompletionOptions]) -> openai.Stream[ChatCompletionChunk]:
    """The SDK's own ``Stream`` of :func:`chat_completion_chunks`, decoded from server-sent events as the
    SDK decodes a real response: what ``client.chat.completions.create(..., stream=True)`` returns."""
    return openai.Stream(cast_to=ChatCompletionChunk, response=_response(content, options), client=_client())


def async_chat_completion_stream(
    content: str | None = None, **options: Unpack[CompletionOptions]
) -> openai.AsyncStream[ChatCompletionChunk]:
    """The SDK's own ``AsyncStream`` of :func:`chat_completion_chunks`: what ``await
    client.chat.completions.create(..., stream=True)`` returns on an ``AsyncOpenAI``."""
    return openai.AsyncStream(cast_to=ChatCompletionChunk, response=_response(content, options), client=_async_client())


@functools.cache
def _client() -> openai.OpenAI:
    """The client a stream decodes its events with (it never sends); made once, as it costs a tenth of a second."""
    return openai.OpenAI(api_key="sk-protodoubles", base_url=wire.BASE_URL, max_retries=0)


@functools.cache
def _async_client() -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(api_key="sk-protodoubles", base_url=wire.BASE_URL, max_retries=0)


def _response(content: str | None, options: CompletionOptions) -> Any:  # the SDK's HTTP response class
    chunks = chat_completion_chunks(content, **options)
    events = [(None, chunk.model_dump_json(exclude_unset=True)) for chunk in chunks]
    return wire.event_stream(_HTTP, wire.sse_body([*events, (None, "[DONE]")]))


def _checked_calls(calls: Sequence[ChatCompletionMessageToolCall]) -> list[ChatCompletionMessageToolCall]:
    given: object = calls  # checked at run time: a test may pass what its annotations do not allow
    if isinstance(given, (str, bytes)) or not isinstance(given, Sequence):
        raise TypeError(f"chat_completion(): tool_calls must be a sequence of tool_call(...) results, not {type(given).__name__}")
    checked: list[ChatCompletionMessageToolCall] = []
    for call in given:
        if not isinstance(call, ChatCompletionMessageToolCall):
            raise TypeError(f"chat_completion(): each tool call must be a tool_call(...) result, not {type(call).__name__}: {call!r}")
        checked.append(call)
    return checked


def _usage(value: CompletionUsage | tuple[int, int] | None) -> CompletionUsage | None:
    if value is None or isinstance(value, CompletionUsage):
        return value
    if not isinstance(value, tuple) or len(value) != 2:
        raise ValueError(f"chat_completion(): usage must be (prompt_tokens, completion_tokens), a CompletionUsage or None, not {value!r}")
    return usage(*value)


def _chunk_data(completion: ChatCompletion, calls: list[ChatCompletionMessageToolCall]) -> list[dict[str, object]]:
    base = {"id": completion.id, "object": "chat.completion.chunk", "created": completion.created, "model": completion.model}
    choice = completion.choices[0]

    def chunk(delta: dict[str, object], finish_reason: str | None = None) -> dict[str, object]:
        return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}]}

    data = [chunk({"role": "assistant", "content": ""})]
    data += [chunk({"content": piece}) for piece in wire.pieces(choice.message.content or "")]
    for index, call in enumerate(calls):
        head = {"index": index, "id": call.id, "type": "function", "function": {"name": call.function.name, "arguments": ""}}
        data.append(chunk({"tool_calls": [head]}))
        data += [
            chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]}) for piece in wire.pieces(call.function.arguments)
        ]
    data.append(chunk({}, choice.finish_reason))
    if completion.usage is not None:
        data.append({**base, "choices": [], "usage": completion.usage.model_dump(mode="json", exclude_unset=True)})
    return data
