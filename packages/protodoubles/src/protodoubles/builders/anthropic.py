"""Real Anthropic SDK objects for doubles to return, one call each: a message with text and tool_use
blocks, its usage, and a stream of events (the SDK's own ``Stream``, ``AsyncStream`` and the managers
``client.messages.stream(...)`` returns). Every object and every event is validated by the SDK's models
(``model_validate``), so a builder never gives a shape the SDK would refuse.

Needs the SDK: ``pip install 'protodoubles[anthropic]'``.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Generator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from typing_extensions import Unpack

try:
    import anthropic
    import pydantic
    from anthropic.lib.streaming import AsyncMessageStreamManager, MessageStreamManager
    from anthropic.types import (
        Message,
        MessageParam,
        RawContentBlockDeltaEvent,
        RawContentBlockStartEvent,
        RawContentBlockStopEvent,
        RawMessageDeltaEvent,
        RawMessageStartEvent,
        RawMessageStopEvent,
        RawMessageStreamEvent,
        TextBlock,
        ToolUseBlock,
        Usage,
    )
except ImportError as error:
    raise ImportError(
        f"protodoubles.builders.anthropic needs the Anthropic SDK: pip install 'protodoubles[anthropic]' ({error})"
    ) from error

from protodoubles._internal.builders import wire

if TYPE_CHECKING:
    from anthropic.types import StopReason  # exported by anthropic.types from later releases than 0.45

__all__ = [
    "Content",
    "MessageOptions",
    "async_message_stream",
    "async_message_stream_manager",
    "message",
    "message_events",
    "message_stream",
    "message_stream_manager",
    "text_block",
    "tool_use_block",
    "usage",
]

MODEL = "claude-sonnet-4-5"
MESSAGE_ID = "msg_protodoubles"
_HTTP = wire.http_library(anthropic.DefaultHttpxClient)

Content: TypeAlias = str | Sequence[TextBlock | ToolUseBlock] | Sequence[pydantic.BaseModel]
"""A message's content: a text, or a list of :func:`text_block` and :func:`tool_use_block` results. A list
written with both is inferred as ``list[BaseModel]``, their common base, so that is accepted too; every
item is checked when the message is built."""
_BODY_HEADER = "x-protodoubles-body"  # the sync manager's request carries its reply to the transport


class MessageOptions(TypedDict, total=False):
    """The keyword options of :func:`message`, taken as well by the event and stream builders."""

    stop_reason: StopReason | None
    stop_sequence: str | None
    usage: Usage | tuple[int, int]
    model: str
    id: str


def usage(input_tokens: int = 3, output_tokens: int = 2) -> Usage:
    """A message's ``Usage``."""
    wire.check_counts("usage()", input_tokens=input_tokens, output_tokens=output_tokens)
    return Usage.model_validate({"input_tokens": input_tokens, "output_tokens": output_tokens})


def text_block(text: str) -> TextBlock:
    """A text content block."""
    return TextBlock.model_validate({"type": "text", "text": text})


def tool_use_block(
    name: str, input: Mapping[str, object] | None = None, *, id: str | None = None
) -> ToolUseBlock:  # the SDK's own field names
    """A tool_use content block; ``input`` must be JSON, as the wire carries it. The default ``id`` is the
    same for the same call."""
    arguments = wire.arguments_json(f"tool_use_block({name!r})", {} if input is None else input)
    block_id = wire.stable_id("toolu_", name, arguments) if id is None else id
    return ToolUseBlock.model_validate({"type": "tool_use", "id": block_id, "name": name, "input": json.loads(arguments)})


def message(
    content: Content = "",
    *,
    stop_reason: StopReason | None = None,
    stop_sequence: str | None = None,
    usage: Usage | tuple[int, int] = (3, 2),
    model: str = MODEL,
    id: str = MESSAGE_ID,  # the SDK's own field name
) -> Message:
    """An assistant ``Message``. ``content`` is a text (one text block) or a list of :func:`text_block` and
    :func:`tool_use_block` results. ``stop_reason`` defaults to ``"tool_use"`` when a tool_use block is
    there and ``"end_turn"`` otherwise; ``usage`` is ``(input_tokens, output_tokens)`` or a ``Usage``."""
    blocks = _checked_blocks(content)
    reason = (
        ("tool_use" if any(isinstance(block, ToolUseBlock) for block in blocks) else "end_turn") if stop_reason is None else stop_reason
    )
    return Message.model_validate(
        {
            "id": id,
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [block.model_dump(mode="json", exclude_unset=True) for block in blocks],
            "stop_reason": reason,
            "stop_sequence": stop_sequence,
            "usage": _usage(usage).model_dump(mode="json", exclude_unset=True),
        }
    )


def message_events(content: Content = "", **options: Unpack[MessageOptions]) -> list[RawMessageStreamEvent]:
    """The events a streamed :func:`message` arrives in, each validated: ``message_start`` (input tokens),
    per block ``content_block_start``, its deltas (text a word at a time, tool input as
    ``input_json_delta`` pieces) and ``content_block_stop``, then ``message_delta`` (stop reason, output
    tokens) and ``message_stop``. The SDK's accumulation of them gives back the message."""
    return [event for _, event in _events(message(content, **options))]


def message_stream(content: Content = "", **options: Unpack[MessageOptions]) -> anthropic.Stream[RawMessageStreamEvent]:
    """The SDK's own ``Stream`` of :func:`message_events`, decoded from server-sent events: what
    ``client.messages.create(..., stream=True)`` returns."""
    response = wire.event_stream(_HTTP, _body(message(content, **options)))
    return anthropic.Stream(cast_to=RawMessageStreamEvent, response=response, client=_client())  # type: ignore[arg-type]  # a union of event models, as the SDK passes it itself


def async_message_stream(content: Content = "", **options: Unpack[MessageOptions]) -> anthropic.AsyncStream[RawMessageStreamEvent]:
    """The SDK's own ``AsyncStream`` of :func:`message_events`: what ``await client.messages.create(...,
    stream=True)`` returns on an ``AsyncAnthropic``."""
    response = wire.event_stream(_HTTP, _body(message(content, **options)))
    return anthropic.AsyncStream(cast_to=RawMessageStreamEvent, response=response, client=_async_client())  # type: ignore[arg-type]  # a union of event models, as the SDK passes it itself


def message_stream_manager(content: Content = "", **options: Unpack[MessageOptions]) -> MessageStreamManager:
    """What ``client.messages.stream(...)`` returns, made by that very method: ``with manager as stream``
    gives a ``MessageStream`` (``text_stream``, ``get_final_message()``, ``get_final_text()``) over
    :func:`message_events`."""
    body = base64.b64encode(_body(message(content, **options))).decode()
    request: MessageParam = {"role": "user", "content": "protodoubles"}
    return _client().messages.stream(model="protodoubles", max_tokens=1, messages=[request], extra_headers={_BODY_HEADER: body})


def async_message_stream_manager(content: Content = "", **options: Unpack[MessageOptions]) -> AsyncMessageStreamManager:
    """What ``client.messages.stream(...)`` returns on an ``AsyncAnthropic``: ``async with manager as
    stream`` gives an ``AsyncMessageStream`` over :func:`message_events`. Nothing is left to await if
    it is never entered."""
    return AsyncMessageStreamManager(_Ready(async_message_stream(content, **options)))


class _Ready:
    """An awaitable of a value at hand: unlike a coroutine, it warns of nothing if never awaited."""

    def __init__(self, value: anthropic.AsyncStream[RawMessageStreamEvent]) -> None:
        self._value = value

    def __await__(self) -> Generator[None, None, anthropic.AsyncStream[RawMessageStreamEvent]]:
        yield from ()  # a generator, as __await__ must be, that is done at once
        return self._value


def _checked_blocks(content: Content) -> list[TextBlock | ToolUseBlock]:
    given: object = content  # checked at run time: a test may pass what its annotations do not allow
    if isinstance(given, str):
        return [text_block(given)]
    if not isinstance(given, Sequence):
        raise TypeError(
            f"message(): content must be a text or a list of text_block(...) and tool_use_block(...) results, not {type(given).__name__}"
        )
    blocks: list[TextBlock | ToolUseBlock] = []
    for block in given:
        if not isinstance(block, (TextBlock, ToolUseBlock)):
            raise TypeError(
                f"message(): each content block must be a text_block(...) or tool_use_block(...) result, not {type(block).__name__}: {block!r}"
            )
        blocks.append(block)
    return blocks


def _usage(value: Usage | tuple[int, int]) -> Usage:
    if isinstance(value, Usage):
        return value
    if not isinstance(value, tuple) or len(value) != 2:
        raise ValueError(f"message(): usage must be (input_tokens, output_tokens) or a Usage, not {value!r}")
    return usage(*value)


def _events(built: Message) -> list[tuple[str, RawMessageStreamEvent]]:
    output_tokens = built.usage.output_tokens
    start = built.model_dump(mode="json", exclude_unset=True)
    start.update(content=[], stop_reason=None, stop_sequence=None)
    start["usage"] = {**start["usage"], "output_tokens": min(1, output_tokens)}  # the API counts the rest in message_delta
    events: list[tuple[str, RawMessageStreamEvent]] = [
        ("message_start", RawMessageStartEvent.model_validate({"type": "message_start", "message": start}))
    ]
    for index, block in enumerate(built.content):
        if isinstance(block, ToolUseBlock):
            head: dict[str, object] = {"type": "tool_use", "id": block.id, "name": block.name, "input": {}}
            deltas = [{"type": "input_json_delta", "partial_json": piece} for piece in wire.pieces(json.dumps(block.input))]
        elif isinstance(block, TextBlock):
            head = {"type": "text", "text": ""}
            deltas = [{"type": "text_delta", "text": piece} for piece in wire.pieces(block.text)]
        else:  # pragma: no cover  # message() only builds these two kinds
            raise TypeError(f"no stream events for a {block.type} block")
        events.append(
            (
                "content_block_start",
                RawContentBlockStartEvent.model_validate({"type": "content_block_start", "index": index, "content_block": head}),
            )
        )
        for piece in deltas:
            events.append(
                (
                    "content_block_delta",
                    RawContentBlockDeltaEvent.model_validate({"type": "content_block_delta", "index": index, "delta": piece}),
                )
            )
        events.append(("content_block_stop", RawContentBlockStopEvent.model_validate({"type": "content_block_stop", "index": index})))
    stop: dict[str, object] = {"stop_reason": built.stop_reason, "stop_sequence": built.stop_sequence}
    ending = {"type": "message_delta", "delta": stop, "usage": {"output_tokens": output_tokens}}
    events.append(("message_delta", RawMessageDeltaEvent.model_validate(ending)))
    events.append(("message_stop", RawMessageStopEvent.model_validate({"type": "message_stop"})))
    return events


def _body(built: Message) -> bytes:
    return wire.sse_body((name, event.model_dump_json(exclude_unset=True)) for name, event in _events(built))


def _reply(request: Any) -> Any:  # the SDK's HTTP request and response classes
    return wire.event_stream(_HTTP, base64.b64decode(request.headers[_BODY_HEADER]))


@functools.cache
def _client() -> anthropic.Anthropic:
    """The client streams decode their events with, made once (it costs a tenth of a second). Its
    transport answers the sync manager's request with the events that request carries; nothing is sent."""
    transport = _HTTP.MockTransport(_reply)
    return anthropic.Anthropic(
        api_key="sk-ant-protodoubles", base_url=wire.BASE_URL, max_retries=0, http_client=_HTTP.Client(transport=transport)
    )


@functools.cache
def _async_client() -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(api_key="sk-ant-protodoubles", base_url=wire.BASE_URL, max_retries=0)
