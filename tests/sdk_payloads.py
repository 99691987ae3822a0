"""Real SDK response objects for doubles to return: models validated from the wire format, and real
``AsyncStream`` objects that decode server-sent events (the same events tests/loopback_events.py builds
for the loopback server)."""

from __future__ import annotations

import anthropic
import httpx2
import openai
from anthropic.types import Message, RawMessageStreamEvent
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from tests.loopback_events import anthropic_events as _anthropic_events
from tests.loopback_events import openai_events as _openai_events

MODEL = "test-model"


def openai_completion(text: str, *, usage: tuple[int, int] | None = (3, 2), model: str = MODEL) -> ChatCompletion:
    data: dict[str, object] = {
        "id": "chatcmpl-double",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
    }
    if usage is not None:
        data["usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
    return ChatCompletion.model_validate(data)


def anthropic_message(text: str, *, usage: tuple[int, int] = (3, 2), model: str = MODEL) -> Message:
    return Message.model_validate(
        {
            "id": "msg_double",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": usage[0], "output_tokens": usage[1]},
        }
    )


def _body(events: list[tuple[str, bool]]) -> httpx2.Response:
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content="".join(e for e, _ in events).encode())


def openai_stream(text: str, *, usage: tuple[int, int] | None = (3, 2), model: str = MODEL) -> openai.AsyncStream[ChatCompletionChunk]:
    """A real stream of chat-completion chunks carrying ``text`` (split as the loopback server splits it)."""
    body = {"model": model, "stream_options": {"include_usage": usage is not None}}
    client = openai.AsyncOpenAI(api_key="sk-double", base_url="http://127.0.0.1:9")  # never sends: the body is here
    response = _body(_openai_events(body, text, "stop", usage))
    return openai.AsyncStream(cast_to=ChatCompletionChunk, response=response, client=client)


def anthropic_stream(text: str, *, usage: tuple[int, int] = (3, 2), model: str = MODEL) -> anthropic.AsyncStream[RawMessageStreamEvent]:
    """A real stream of message events carrying ``text``."""
    client = anthropic.AsyncAnthropic(api_key="sk-ant-double", base_url="http://127.0.0.1:9")
    response = _body(_anthropic_events({"model": model}, text, "stop", usage))
    return anthropic.AsyncStream(cast_to=RawMessageStreamEvent, response=response, client=client)  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # the SDK casts to a union of event models here too
