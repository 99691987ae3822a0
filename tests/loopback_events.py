"""The wire payloads the loopback server sends: OpenAI and Anthropic SSE event lists, the raw-usage
override of an event, and a gzip bomb. Pure functions of the request and the reply text."""

from __future__ import annotations

import functools
import gzip
import json
import re
from typing import Any, Literal

Wire = Literal["openai", "anthropic"]


def chunks(text: str) -> list[str]:
    """Split text into stream pieces of one word and its trailing space each."""
    return re.findall(r"\S+\s*|\s+", text, flags=re.DOTALL) or ([text] if text else [])


def sse(data: dict[str, Any] | str, event: str | None = None) -> str:
    line = data if isinstance(data, str) else json.dumps(data)
    return (f"event: {event}\n" if event else "") + f"data: {line}\n\n"


def openai_events(body: dict[str, Any], text: str, finish: str, usage: tuple[int, int] | None) -> list[tuple[str, bool]]:
    def chunk(delta: dict[str, str], finish_reason: str | None) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish_reason}
        base = {"id": "chatcmpl-loopback", "object": "chat.completion.chunk", "created": 0, "model": body["model"]}
        return sse({**base, "choices": [choice]})

    events = [(chunk({"role": "assistant", "content": ""}, None), False)]
    events += [(chunk({"content": piece}, None), True) for piece in chunks(text)]
    events.append((chunk({}, "stop"), False))
    if usage is not None and body.get("stream_options", {}).get("include_usage"):
        tail = {"id": "chatcmpl-loopback", "object": "chat.completion.chunk", "created": 0, "model": body["model"]}
        counts = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
        events.append((sse({**tail, "choices": [], "usage": counts}), False))
    events.append((sse("[DONE]"), False))
    return events


def anthropic_events(body: dict[str, Any], text: str, finish: str, usage: tuple[int, int] | None) -> list[tuple[str, bool]]:
    input_tokens, output_tokens = usage or (0, 0)
    message = {
        "id": "msg_loopback",
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": input_tokens, "output_tokens": 1},
    }
    events = [
        (sse({"type": "message_start", "message": message}, "message_start"), False),
        (sse({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}, "content_block_start"), False),
    ]
    for piece in chunks(text):
        delta = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}
        events.append((sse(delta, "content_block_delta"), True))
    stop_reason = "stop_sequence" if finish == "stop_sequence" else "end_turn"
    events += [
        (sse({"type": "content_block_stop", "index": 0}, "content_block_stop"), False),
        (
            sse(
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                    "usage": {"output_tokens": output_tokens},
                },
                "message_delta",
            ),
            False,
        ),
        (sse({"type": "message_stop"}, "message_stop"), False),
    ]
    return events


def with_usage(event: str, usage: Any) -> str:
    """An SSE event with its usage (OpenAI's last chunk, Anthropic's message_start and message_delta)
    replaced by ``usage``."""
    head, _, line = event.rpartition("data: ")
    if line.startswith("[DONE]"):
        return event
    data = json.loads(line)
    if "usage" in data:
        data["usage"] = usage
    if isinstance(data.get("message"), dict):
        data["message"]["usage"] = usage
    return head + "data: " + json.dumps(data) + "\n\n"


@functools.lru_cache(maxsize=4)
def gzip_bomb(wire: Wire, model: str, inflated: int) -> bytes:
    """A valid reply padded with spaces to ``inflated`` bytes, gzipped (about a thousandth of the size)."""
    if wire == "openai":
        choice = {"index": 0, "message": {"role": "assistant", "content": "boom"}, "finish_reason": "stop"}
        data: dict[str, Any] = {"id": "b", "object": "chat.completion", "created": 0, "model": model, "choices": [choice]}
    else:
        data = {
            "id": "b",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": "boom"}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 1, "output_tokens": 1},
        }
    head = json.dumps(data).encode()
    return gzip.compress(head + b" " * max(0, inflated - len(head)), compresslevel=9)
