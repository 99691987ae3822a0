"""Both adapters' streams against broken event streams, and the exact errors each one gives."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

import pytest

from byok.adapters.anthropic_wire import AnthropicWireAdapter
from byok.adapters.base import ChatRequest, Delta
from byok.adapters.openai_wire import OpenAIWireAdapter
from byok.errors import ProviderError
from byok.types import Usage
from tests.loopback import LoopbackServer, Reply

SECRET = "hunter2hunter2hunter2"  # shaped like no known key, so that only exact redaction can hide it
REQUEST = ChatRequest("m-2", ({"role": "user", "content": "hello"},), 0.5, None, None)
_SERIAL = itertools.count()
Adapter = OpenAIWireAdapter | AnthropicWireAdapter


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def _make(wire: str, server: LoopbackServer) -> Adapter:
    prefix = f"{wire}-s{next(_SERIAL)}"
    if wire == "openai":
        return OpenAIWireAdapter(prefix, api_key=SECRET, base_url=server.base_url(prefix), timeout_s=5)
    return AnthropicWireAdapter(prefix, api_key=SECRET, base_url=server.base_url(prefix, "anthropic"), timeout_s=5)


async def _stream(adapter: Adapter) -> list[Delta]:
    try:
        return [delta async for delta in adapter.stream(REQUEST)]
    finally:
        await adapter.aclose()


def _chunk(*choices: object, **extra: object) -> dict[str, object]:
    return {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m-2", "choices": list(choices), **extra}


def _text(text: object, finish: str | None = None) -> dict[str, object]:
    return {"index": 0, "delta": {"content": text}, "finish_reason": finish}


OPENAI_BROKEN: list[tuple[tuple[object, ...], str]] = [
    ((_chunk(), {"id": "c", "choices": None}), "malformed response: a stream chunk without a list of choices"),
    (("42",), "malformed response: a stream chunk without a list of choices"),
    ((_chunk(_text(42)),), "malformed response: a stream chunk whose content is not text"),
    ((_chunk(_text("hi")),), "stream ended before the provider finished"),
    ((_chunk({"index": 0}),), "stream ended before the provider finished"),
    ((_chunk({"index": 0, "delta": "oops"}),), "stream ended before the provider finished"),
    ((_chunk("not a choice"),), "stream ended before the provider finished"),
]


@pytest.mark.parametrize(("events", "reason"), OPENAI_BROKEN, ids=[f"{i}-{r[:30]}" for i, (_, r) in enumerate(OPENAI_BROKEN)])
async def test_openai_broken_streams_give_exact_retryable_errors(events: tuple[object, ...], reason: str, server: LoopbackServer) -> None:
    adapter = _make("openai", server)
    server.script(adapter.provider_id, Reply(events_raw=events))
    with pytest.raises(ProviderError) as caught:
        await _stream(adapter)
    assert (caught.value.provider_id, caught.value.reason, caught.value.retryable) == (adapter.provider_id, reason, True)


async def test_openai_streams_read_the_first_choice_only_and_keep_the_last_usage(server: LoopbackServer) -> None:
    adapter = _make("openai", server)
    usage = {"prompt_tokens": 4, "completion_tokens": 2, "total_tokens": 6}
    events = (
        _chunk(_text("a"), {"index": 1, "delta": {"content": "b"}, "finish_reason": None}),
        _chunk(_text(None, "length")),
        _chunk(usage=usage),
        _chunk(usage=None),
    )
    server.script(adapter.provider_id, Reply(events_raw=events))
    assert await _stream(adapter) == [Delta("a"), Delta("", "length", Usage(4, 2))]


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
async def test_an_error_event_mid_stream_is_redacted(wire: str, server: LoopbackServer) -> None:
    adapter = _make(wire, server)
    first = _chunk(_text("a")) if wire == "openai" else TEXT
    error: dict[str, object] = {"error": {"message": f"key {SECRET} revoked"}}
    if wire == "anthropic":
        error = {"type": "error", "error": {"type": "overloaded_error", "message": f"key {SECRET} revoked"}}
    server.script(adapter.provider_id, Reply(events_raw=(first, error)))
    with pytest.raises(ProviderError) as caught:
        await _stream(adapter)
    assert SECRET not in str(caught.value) and "[redacted]" in str(caught.value)
    assert caught.value.provider_id == adapter.provider_id


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
async def test_the_stream_open_path_names_the_provider_hides_the_key_and_refuses_unasked_encodings(
    wire: str, server: LoopbackServer
) -> None:
    adapter = _make(wire, server)
    server.script(adapter.provider_id, Reply(status=401, error_message=f"bad key {SECRET}"))
    with pytest.raises(ProviderError) as caught:
        await _stream(adapter)
    assert (caught.value.provider_id, caught.value.status) == (adapter.provider_id, 401)
    assert SECRET not in str(caught.value)
    again = _make(wire, server)
    server.script(again.provider_id, Reply(body=b"\x00\x01", headers=(("Content-Encoding", "br"),)))
    with pytest.raises(ProviderError) as refused:
        await _stream(again)
    assert refused.value.reason == "reply rejected: reply in an encoding that was not asked for: 'br'"
    assert refused.value.provider_id == again.provider_id


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
@pytest.mark.parametrize("stream", [False, True])
async def test_an_unset_max_tokens_is_left_out_for_openai_and_defaulted_for_anthropic(
    wire: str, stream: bool, server: LoopbackServer
) -> None:
    adapter = _make(wire, server)
    if stream:
        await _stream(adapter)
    else:
        await adapter.complete(REQUEST)
        await adapter.aclose()
    body = server.requests(adapter.provider_id)[0].body
    assert body["model"] == "m-2"
    if wire == "openai":
        assert "max_tokens" not in body and body["temperature"] == 0.5
    else:
        assert body["max_tokens"] == 4096 and "system" not in body and "stop_sequences" not in body


ANTHROPIC_BROKEN: list[tuple[tuple[object, ...], str]] = [
    (
        ({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": 7}},),
        "malformed response: a text delta that is not text",
    ),
    (
        ({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "cut"}},),
        "stream ended before the provider finished",
    ),
    (
        ({"type": "message_delta", "delta": {"stop_reason": None}, "usage": {"output_tokens": 1}},),
        "stream ended before the provider finished",
    ),
]


@pytest.mark.parametrize(("events", "reason"), ANTHROPIC_BROKEN, ids=[r[:30] for _, r in ANTHROPIC_BROKEN])
async def test_anthropic_broken_streams_give_exact_retryable_errors(
    events: tuple[object, ...], reason: str, server: LoopbackServer
) -> None:
    adapter = _make("anthropic", server)
    server.script(adapter.provider_id, Reply(events_raw=events))
    with pytest.raises(ProviderError) as caught:
        await _stream(adapter)
    assert (caught.value.provider_id, caught.value.reason, caught.value.retryable) == (adapter.provider_id, reason, True)


async def test_anthropic_streams_take_input_tokens_from_the_start_and_output_from_the_end(server: LoopbackServer) -> None:
    adapter = _make("anthropic", server)
    start = {
        "type": "message_start",
        "message": {
            "id": "m",
            "type": "message",
            "role": "assistant",
            "model": "m-2",
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 11, "output_tokens": 1},
        },
    }
    events = (
        start,
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "hi"}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": "{}"}},
        {"type": "ping"},
        {"type": "message_delta", "delta": {"stop_reason": "max_tokens", "stop_sequence": None}, "usage": {"output_tokens": 9}},
        {"type": "message_stop"},
    )
    server.script(adapter.provider_id, Reply(events_raw=events))
    assert await _stream(adapter) == [Delta("hi"), Delta("", "length", Usage(11, 9))]


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
async def test_the_complete_path_hides_a_key_of_any_shape(wire: str, server: LoopbackServer) -> None:
    adapter = _make(wire, server)
    server.script(adapter.provider_id, Reply(status=403, error_message=f"key {SECRET} is not allowed"))
    with pytest.raises(ProviderError) as caught:
        await adapter.complete(REQUEST)
    await adapter.aclose()
    assert SECRET not in str(caught.value) and "[redacted]" in str(caught.value)


@pytest.mark.parametrize(
    ("choices", "text", "finish"),
    [
        ([{"message": "just a string"}], "", "stop"),
        ([{"message": {"content": "x"}, "finish_reason": 5}], "x", "stop"),
        ([{"message": {"content": "x"}, "finish_reason": ""}], "x", "stop"),
        ([{"message": {"content": "x"}, "finish_reason": "content_filter"}], "x", "content_filter"),
    ],
)
async def test_openai_reads_what_it_can_of_a_loose_choice(choices: object, text: str, finish: str, server: LoopbackServer) -> None:
    adapter = _make("openai", server)
    server.script(adapter.provider_id, Reply(choices_raw=choices, usage=(2, 1)))
    completion = await adapter.complete(REQUEST)
    await adapter.aclose()
    assert (completion.text, completion.finish_reason, completion.usage) == (text, finish, Usage(2, 1))


def _event(kind: str, **fields: object) -> dict[str, object]:
    return {"type": kind, **fields}


FINISH = _event("message_delta", delta={"stop_reason": "end_turn", "stop_sequence": None}, usage={"output_tokens": 2})
TEXT = _event("content_block_delta", index=0, delta={"type": "text_delta", "text": "ok"})


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ((_event("message_start"), TEXT, FINISH), [Delta("ok"), Delta("", "stop", None)]),
        ((_event("message_start", message={"id": "m"}), TEXT, FINISH), [Delta("ok"), Delta("", "stop", None)]),
        ((_event("content_block_delta", index=0), TEXT, FINISH), [Delta("ok"), Delta("", "stop", None)]),
        ((_event("content_block_delta", index=0, delta={"text": "untyped"}), TEXT, FINISH), [Delta("ok"), Delta("", "stop", None)]),
        ((TEXT, _event("message_delta", delta={"stop_reason": "end_turn"})), [Delta("ok"), Delta("", "stop", None)]),
    ],
    ids=["start without message", "start without usage", "delta without delta", "delta without type", "end without usage"],
)
async def test_anthropic_streams_tolerate_missing_parts(events: tuple[object, ...], expected: list[Delta], server: LoopbackServer) -> None:
    adapter = _make("anthropic", server)
    server.script(adapter.provider_id, Reply(events_raw=events))
    assert await _stream(adapter) == expected


@pytest.mark.parametrize(
    "events",
    [(TEXT, _event("message_delta", usage={"output_tokens": 2})), (TEXT, _event("message_delta", delta={}, usage={"output_tokens": 2}))],
    ids=["no delta", "no stop reason"],
)
async def test_an_anthropic_stream_without_a_stop_reason_did_not_finish(events: tuple[object, ...], server: LoopbackServer) -> None:
    adapter = _make("anthropic", server)
    server.script(adapter.provider_id, Reply(events_raw=events))
    with pytest.raises(ProviderError) as caught:
        await _stream(adapter)
    assert caught.value.reason == "stream ended before the provider finished"


async def test_anthropic_streams_send_the_system_prompt_joined(server: LoopbackServer) -> None:
    adapter = _make("anthropic", server)
    two = ChatRequest("m-2", ({"role": "system", "content": "a"}, {"role": "system", "content": "b"}, {"role": "user", "content": "u"}))
    [*_] = [d async for d in adapter.stream(two)]
    await adapter.complete(two)
    await adapter.aclose()
    assert [r.body["system"] for r in server.requests(adapter.provider_id)] == ["a\n\nb", "a\n\nb"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"type": "message", "content": ["loose text"], "stop_reason": "end_turn", "usage": {"input_tokens": 1, "output_tokens": 1}},
            ("", "stop", Usage(1, 1)),
        ),
        ({"type": "message", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}, ("ab", "stop", None)),
        ({"type": "message", "content": [{"type": "text", "text": "a"}], "stop_reason": 5, "usage": None}, ("a", "stop", None)),
    ],
    ids=["a block that is not an object", "no stop reason and no usage", "a stop reason that is not text"],
)
async def test_anthropic_reads_what_it_can_of_a_loose_message(
    body: dict[str, object], expected: tuple[object, ...], server: LoopbackServer
) -> None:
    adapter = _make("anthropic", server)
    server.script(adapter.provider_id, Reply(body=json.dumps(body).encode()))
    completion = await adapter.complete(REQUEST)
    await adapter.aclose()
    assert (completion.text, completion.finish_reason, completion.usage) == expected


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[1, 2]", "malformed response: no list of content blocks"),
        (b'{"content": [{"type": "text"}]}', "malformed response: a text block without text"),
    ],
)
async def test_anthropic_malformed_messages_give_exact_errors(body: bytes, reason: str, server: LoopbackServer) -> None:
    adapter = _make("anthropic", server)
    server.script(adapter.provider_id, Reply(body=body))
    with pytest.raises(ProviderError) as caught:
        await adapter.complete(REQUEST)
    await adapter.aclose()
    assert (caught.value.provider_id, caught.value.reason) == (adapter.provider_id, reason)
