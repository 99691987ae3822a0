"""Both wire adapters on their own, through the real SDKs against the loopback server: what they send,
what they make of every malformed reply, and the bounds on a reply's size."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Iterator

import pytest

from byok.adapters.anthropic_wire import AnthropicWireAdapter
from byok.adapters.base import ChatRequest, Completion, Delta
from byok.adapters.openai_wire import OpenAIWireAdapter
from byok.errors import ProviderError
from byok.types import Usage
from tests.loopback import LoopbackServer, Reply

KEY = "sk-unit-0123456789abcdefghij"
_SERIAL = itertools.count()
Adapter = OpenAIWireAdapter | AnthropicWireAdapter
REQUEST = ChatRequest(
    "m-1",
    (
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "hello"},
    ),
    0.3,
    77,
    ("END",),
)


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


@pytest.fixture(params=["openai", "anthropic"])
async def adapter(request: pytest.FixtureRequest, server: LoopbackServer) -> AsyncIterator[Adapter]:
    made = _adapter(request.param, server, prefix=f"{request.param}-{next(_SERIAL)}")  # a fresh provider per test
    yield made
    await made.aclose()


def _adapter(wire: str, server: LoopbackServer, *, prefix: str, max_bytes: int | None = None, timeout_s: float = 5) -> Adapter:
    """An adapter of ``wire`` for the fake provider ``prefix``; ``max_bytes`` None keeps the adapter's default."""
    if wire == "openai":
        base = server.base_url(prefix)
        if max_bytes is None:
            return OpenAIWireAdapter(prefix, api_key=KEY, base_url=base, timeout_s=timeout_s)
        return OpenAIWireAdapter(prefix, api_key=KEY, base_url=base, timeout_s=timeout_s, max_response_bytes=max_bytes)
    base = server.base_url(prefix, "anthropic")
    if max_bytes is None:
        return AnthropicWireAdapter(prefix, api_key=KEY, base_url=base, timeout_s=timeout_s)
    return AnthropicWireAdapter(prefix, api_key=KEY, base_url=base, timeout_s=timeout_s, max_response_bytes=max_bytes)


async def _stream(adapter: Adapter, request: ChatRequest = REQUEST) -> list[Delta]:
    return [delta async for delta in adapter.stream(request)]


async def test_complete_sends_every_option_and_returns_text_finish_and_usage(adapter: Adapter, server: LoopbackServer) -> None:
    server.script(adapter.provider_id, Reply(text="hi there", usage=(12, 3)))
    assert await adapter.complete(REQUEST) == Completion("hi there", "stop", Usage(12, 3))
    [sent] = server.requests(adapter.provider_id)
    body = sent.body
    assert (body["model"], body["max_tokens"]) == ("m-1", 77)
    if isinstance(adapter, OpenAIWireAdapter):
        assert (body["temperature"], body["stop"]) == (0.3, ["END"])
        assert body["messages"] == list(REQUEST.messages)
        assert "stream" not in body
    else:
        assert (body["system"], body["stop_sequences"]) == ("be brief", ["END"])
        assert body["messages"] == list(REQUEST.messages[1:])


async def test_stream_sends_every_option_and_ends_with_usage(adapter: Adapter, server: LoopbackServer) -> None:
    server.script(adapter.provider_id, Reply(text="one two", usage=(5, 2)))
    deltas = await _stream(adapter)
    assert deltas == [Delta("one "), Delta("two"), Delta("", "stop", Usage(5, 2))]
    body = server.requests(adapter.provider_id)[0].body
    assert (body["stream"], body["max_tokens"]) == (True, 77)
    if isinstance(adapter, OpenAIWireAdapter):
        assert (body["temperature"], body["stop"]) == (0.3, ["END"])
        assert body["stream_options"] == {"include_usage": True}
    else:
        assert body["stop_sequences"] == ["END"]


async def test_openai_stream_without_the_usage_option_sends_none(server: LoopbackServer) -> None:
    adapter = OpenAIWireAdapter("plain", api_key=KEY, base_url=server.base_url("plain"), timeout_s=5, stream_usage_option=False)
    deltas = await _stream(adapter)
    await adapter.aclose()
    assert deltas[-1] == Delta("", "stop", None)
    assert "stream_options" not in server.requests("plain")[0].body


@pytest.mark.parametrize("stream", [False, True])
async def test_a_stop_sequence_ends_the_reply_with_finish_reason_stop(stream: bool, adapter: Adapter, server: LoopbackServer) -> None:
    server.script(adapter.provider_id, Reply(text="a STOP b"))
    request = ChatRequest("m", REQUEST.messages, 0.3, 5, ("STOP",))
    if stream:
        *pieces, last = await _stream(adapter, request)
        assert ("".join(p.text for p in pieces), last.finish_reason) == ("a ", "stop")
    else:
        assert (await adapter.complete(request)).finish_reason == "stop"


MALFORMED_BODIES: dict[str, tuple[bytes, str]] = {
    "html": (b"<html><body>502 Bad Gateway</body></html>", "text/html"),
    "json array": (b"[1, 2, 3]", "application/json"),
    "json string": (b'"hello"', "application/json"),
    "not json": (b"{this is not json", "application/json"),
    "empty object": (b"{}", "application/json"),
}


@pytest.mark.parametrize("case", list(MALFORMED_BODIES))
async def test_a_malformed_200_is_a_retryable_provider_error(case: str, adapter: Adapter, server: LoopbackServer) -> None:
    body, content_type = MALFORMED_BODIES[case]
    server.script(adapter.provider_id, Reply(body=body, content_type=content_type))
    with pytest.raises(ProviderError) as caught:
        await adapter.complete(REQUEST)
    assert caught.value.retryable and caught.value.status is None
    assert caught.value.provider_id == adapter.provider_id
    assert KEY not in str(caught.value)


@pytest.mark.parametrize(
    ("choices", "says"),
    [
        ([None], "the first choice has no message"),
        ([{}], "the first choice has no message"),
        ([], "no list of choices"),
        (None, "no list of choices"),
        ("choices", "no list of choices"),
        ([{"message": {"content": 42}, "finish_reason": "stop"}], "the message content is not text"),
    ],
)
async def test_openai_choices_that_are_unusable_are_malformed(choices: object, says: str, server: LoopbackServer) -> None:
    adapter = _adapter("openai", server, prefix="choices")
    server.script("choices", Reply(choices_raw=choices))
    with pytest.raises(ProviderError) as caught:
        await adapter.complete(REQUEST)
    await adapter.aclose()
    assert (caught.value.provider_id, caught.value.reason, caught.value.retryable) == ("choices", f"malformed response: {says}", True)


async def test_openai_choice_without_finish_reason_or_content_is_read_as_stop_and_empty(server: LoopbackServer) -> None:
    adapter = _adapter("openai", server, prefix="lenient")
    server.script("lenient", Reply(choices_raw=[{"message": {"role": "assistant", "content": None}}]))
    completion = await adapter.complete(REQUEST)
    await adapter.aclose()
    assert (completion.text, completion.finish_reason) == ("", "stop")


@pytest.mark.parametrize(
    "usage",
    [
        None,
        {},
        {"prompt_tokens": None, "completion_tokens": 3},
        {"prompt_tokens": "12", "completion_tokens": 3},
        {"prompt_tokens": -5, "completion_tokens": 3},
        {"prompt_tokens": 4, "completion_tokens": 2.5},
        {"prompt_tokens": True, "completion_tokens": 3},
        {"input_tokens": None, "output_tokens": None},
        {"input_tokens": -1, "output_tokens": 2},
        {"input_tokens": 1, "output_tokens": "two"},
        "lots",
        [1, 2],
    ],
    ids=lambda u: repr(u)[:40],
)
@pytest.mark.parametrize("stream", [False, True])
async def test_unusable_usage_is_reported_as_none(usage: object, stream: bool, adapter: Adapter, server: LoopbackServer) -> None:
    server.script(adapter.provider_id, Reply(text="fine", usage_raw=usage))
    reported = (await _stream(adapter))[-1].usage if stream else (await adapter.complete(REQUEST)).usage
    assert reported is None


async def test_an_anthropic_reply_with_a_text_block_without_text_is_malformed(server: LoopbackServer) -> None:
    adapter = _adapter("anthropic", server, prefix="blocks")
    body = b'{"type": "message", "content": [{"type": "text", "text": null}], "usage": {}}'
    server.script("blocks", Reply(body=body))
    with pytest.raises(ProviderError, match="malformed response: a text block without text"):
        await adapter.complete(REQUEST)
    await adapter.aclose()


async def test_a_gzip_bomb_is_stopped_at_the_size_cap(adapter: Adapter, server: LoopbackServer) -> None:
    server.script(adapter.provider_id, Reply(gzip_inflated_bytes=40 * 1024 * 1024))  # 40 MB from ~40 KB on the wire
    with pytest.raises(ProviderError, match=r"reply rejected: reply larger than max_response_bytes=33554432") as caught:
        await adapter.complete(REQUEST)
    assert caught.value.retryable


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
async def test_a_gzipped_reply_under_the_cap_is_read(wire: str, server: LoopbackServer) -> None:
    adapter = _adapter(wire, server, prefix=f"gz-{wire}", max_bytes=1_000_000)
    server.script(f"gz-{wire}", Reply(gzip_inflated_bytes=999_000))
    completion = await adapter.complete(REQUEST)
    await adapter.aclose()
    assert completion.text == "boom"
    assert server.requests(f"gz-{wire}")[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
async def test_a_plain_reply_over_the_cap_is_rejected_and_a_stream_too(wire: str, server: LoopbackServer) -> None:
    adapter = _adapter(wire, server, prefix=f"cap-{wire}", max_bytes=2_000)
    server.script(f"cap-{wire}", Reply(text="x" * 5_000), Reply(text="word " * 2_000))
    with pytest.raises(ProviderError) as whole:
        await adapter.complete(REQUEST)
    with pytest.raises(ProviderError) as streamed:
        await _stream(adapter)
    await adapter.aclose()
    for caught in (whole, streamed):
        assert (caught.value.provider_id, caught.value.reason) == (
            f"cap-{wire}",
            "reply rejected: reply larger than max_response_bytes=2000",
        )


async def test_a_key_quoted_back_on_the_stream_open_path_is_redacted(adapter: Adapter, server: LoopbackServer) -> None:
    server.script(adapter.provider_id, Reply(status=401, error_message=f"bad key {KEY}"))
    with pytest.raises(ProviderError) as caught:
        await _stream(adapter)
    assert KEY not in str(caught.value) and "[redacted]" in str(caught.value)
    assert (caught.value.status, caught.value.retryable) == (401, True)


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
async def test_a_stream_cut_before_its_end_is_a_retryable_error(wire: str, server: LoopbackServer) -> None:
    adapter = _adapter(wire, server, prefix=f"cut-{wire}")
    server.script(f"cut-{wire}", Reply(text="a b c d", cut_after_chunks=2))
    received: list[str] = []
    with pytest.raises(ProviderError) as caught:
        async for delta in adapter.stream(REQUEST):
            received.append(delta.text)
    await adapter.aclose()
    assert received == ["a ", "b "]
    assert (caught.value.provider_id, caught.value.retryable) == (f"cut-{wire}", True)


async def test_a_client_error_is_not_retryable(adapter: Adapter, server: LoopbackServer) -> None:
    server.script(adapter.provider_id, Reply(status=400, error_message="bad parameter"), Reply(status=404))
    with pytest.raises(ProviderError, match=r"HTTP 400: .*bad parameter") as caught:
        await adapter.complete(REQUEST)
    assert (caught.value.status, caught.value.retryable) == (400, False)
    with pytest.raises(ProviderError) as stream_caught:
        await _stream(adapter)
    assert (stream_caught.value.status, stream_caught.value.retryable) == (404, False)


async def test_reprs_name_the_provider_only(adapter: Adapter) -> None:
    assert repr(adapter) == f"{type(adapter).__name__}(provider_id={adapter.provider_id!r})"
    assert KEY not in repr(adapter)


async def test_an_adapter_times_out_on_its_own_and_never_retries(adapter: Adapter, server: LoopbackServer) -> None:
    wire = "openai" if isinstance(adapter, OpenAIWireAdapter) else "anthropic"
    slow = _adapter(wire, server, prefix=f"slow-{wire}", timeout_s=0.3)
    server.script(f"slow-{wire}", Reply(delay_s=1.5))
    with pytest.raises(ProviderError, match="timed out") as caught:
        await slow.complete(REQUEST)
    await slow.aclose()
    assert caught.value.retryable
    server.script(adapter.provider_id, Reply(status=503), Reply(text="a retry would get this"))
    with pytest.raises(ProviderError, match="HTTP 503"):
        await adapter.complete(REQUEST)
    assert len(server.requests(adapter.provider_id)) == 1  # the SDK's own retries are off


@pytest.mark.parametrize(
    ("reason", "expected"), [("max_tokens", "length"), ("tool_use", "tool_calls"), ("pause_turn", "pause_turn"), (None, "stop")]
)
async def test_anthropic_stop_reasons_map_to_finish_reasons(reason: str | None, expected: str, server: LoopbackServer) -> None:
    adapter = _adapter("anthropic", server, prefix=f"reason-{reason}")
    body = {
        "type": "message",
        "content": [{"type": "text", "text": "x"}, {"type": "tool_use", "id": "t", "name": "f", "input": {}}],
        "stop_reason": reason,
        "usage": {"input_tokens": 3, "output_tokens": 1},
    }
    server.script(f"reason-{reason}", Reply(body=json.dumps(body).encode()))
    completion = await adapter.complete(REQUEST)
    await adapter.aclose()
    assert completion == Completion("x", expected, Usage(3, 1))


async def test_openai_passes_its_finish_reason_through(server: LoopbackServer) -> None:
    adapter = _adapter("openai", server, prefix="finish")
    server.script(
        "finish", Reply(choices_raw=[{"index": 0, "message": {"role": "assistant", "content": "cut"}, "finish_reason": "length"}])
    )
    assert (await adapter.complete(REQUEST)).finish_reason == "length"
    await adapter.aclose()


async def test_a_stream_without_any_text_still_ends_with_its_finish_and_usage(adapter: Adapter, server: LoopbackServer) -> None:
    server.script(adapter.provider_id, Reply(text="", usage=(9, 0)))
    assert await _stream(adapter) == [Delta("", "stop", Usage(9, 0))]
