"""Both wire protocols, whole and streamed, through the real SDKs against the loopback server."""

from __future__ import annotations

import pytest

from byok import Message, StreamChunk
from byok.catalog import ModelCatalog
from tests.integration.conftest import KEYS, HandlerFactory
from tests.loopback import LoopbackServer, Reply

HELLO: list[Message] = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello there"}]


async def collect(chunks: list[StreamChunk], stream: object) -> str:
    async for chunk in stream:  # type: ignore[attr-defined]  # ty: ignore[not-iterable]  # each caller passes a stream_completion() iterator
        chunks.append(chunk)
    return "".join(c.text for c in chunks)


async def test_openai_wire_sends_the_request_and_charges_real_usage(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script("openai", Reply(usage=(90, 40)))
    handler = make_handler("openai")
    result = await handler.generate_response(HELLO, model="gpt-4o-mini", temperature=0.2, max_tokens=50, stop=["END"])
    assert (result.text, result.provider_id, result.model, result.finish_reason) == ("echo: hello there", "openai", "gpt-4o-mini", "stop")
    assert (result.usage.input_tokens, result.usage.output_tokens) == (90, 40)
    assert result.cost_usd == pytest.approx((90 * 0.15 + 40 * 0.60) / 1e6)
    assert handler.costs_by_provider() == {"openai": pytest.approx(result.cost_usd)}
    [sent] = server.requests("openai")
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {KEYS['openai']}"
    assert sent.body["messages"] == HELLO
    assert (sent.body["model"], sent.body["temperature"], sent.body["max_tokens"], sent.body["stop"]) == ("gpt-4o-mini", 0.2, 50, ["END"])


async def test_anthropic_wire_moves_system_messages_and_sets_max_tokens(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script("anthropic", Reply(usage=(40, 7)))
    result = await make_handler("anthropic").generate_response(HELLO)
    assert (result.text, result.provider_id) == ("echo: hello there", "anthropic")
    info = ModelCatalog.default().require(result.model)
    assert result.cost_usd == pytest.approx(info.cost_usd(40, 7))
    [sent] = server.requests("anthropic")
    assert sent.path == "/v1/messages"
    # Older SDKs send the key as x-api-key, newer ones as a bearer token.
    sent_key = sent.headers.get("x-api-key") or sent.headers["authorization"].removeprefix("Bearer ")
    assert sent_key == KEYS["anthropic"]
    assert sent.body["system"] == "Be brief."
    assert sent.body["messages"] == [{"role": "user", "content": "hello there"}]
    assert sent.body["max_tokens"] == 4096


@pytest.mark.parametrize("provider_id", ["openai", "anthropic", "deepseek", "gemini", "moonshot", "mistral"])
async def test_every_provider_streams_text_then_a_final_chunk_with_usage(
    provider_id: str, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    server.script(provider_id, Reply(text="one two three", usage=(11, 3)))
    chunks: list[StreamChunk] = []
    text = await collect(chunks, make_handler(provider_id).stream_completion(HELLO))
    assert text == "one two three"
    assert [c.text for c in chunks] == ["one ", "two ", "three", ""]
    assert all(c.provider_id == provider_id for c in chunks)
    assert all(c.finish_reason is None and c.usage is None for c in chunks[:-1])
    last = chunks[-1]
    assert last.finish_reason == "stop"
    if provider_id == "mistral":  # Mistral takes no stream_options; the loopback then reports no usage
        assert last.usage is not None and last.usage.output_tokens == len("one two three")  # its bound: a token per byte
        assert "stream_options" not in server.requests(provider_id)[0].body
    else:
        assert last.usage is not None and (last.usage.input_tokens, last.usage.output_tokens) == (11, 3)
    assert last.cost_usd is not None and last.cost_usd > 0


async def test_openai_stream_asks_for_usage(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    await collect([], make_handler("openai").stream_completion(HELLO))
    [sent] = server.requests("openai")
    assert sent.body["stream"] is True
    assert sent.body["stream_options"] == {"include_usage": True}


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
async def test_stop_sequence_is_sent_and_honoured(provider_id: str, server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script(provider_id, Reply(text="alpha beta STOP gamma"), Reply(text="alpha beta STOP gamma"))
    handler = make_handler(provider_id)
    whole = await handler.generate_response(HELLO, stop="STOP")
    streamed = await collect([], handler.stream_completion(HELLO, stop=["STOP"]))
    assert whole.text == streamed == "alpha beta "
    key = "stop" if provider_id == "openai" else "stop_sequences"
    assert [r.body[key] for r in server.requests(provider_id)] == [["STOP"], ["STOP"]]


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
@pytest.mark.parametrize("stream", [False, True])
async def test_any_text_round_trips_untouched(provider_id: str, stream: bool, server: LoopbackServer, make_handler: HandlerFactory) -> None:
    text = "naïve café 👩‍👩‍👧 שלום مرحبا \"quotes\" 'single' \\back\\ \x00nul\ttab\nnew line {json} </tag>"
    handler = make_handler(provider_id)
    messages: list[Message] = [{"role": "user", "content": text}]
    if stream:
        got = await collect([], handler.stream_completion(messages))
    else:
        got = (await handler.generate_response(messages)).text
    assert got == f"echo: {text}"
    assert server.requests(provider_id)[0].body["messages"][-1]["content"] == text
