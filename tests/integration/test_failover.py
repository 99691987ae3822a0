"""Failover through the real SDKs: which faults move to the next provider, and which raise."""

from __future__ import annotations

import socket

import pytest

from byok import AllProvidersFailedError, BYOKHandler, Message, ProviderError, StreamChunk, StreamInterruptedError
from byok.routing import bound_message_tokens, bound_tokens
from tests.integration.conftest import KEYS, HandlerFactory
from tests.loopback import LoopbackServer, Reply

ASK: list[Message] = [{"role": "user", "content": "ping"}]


async def stream_text(handler: BYOKHandler, **options: str) -> list[StreamChunk]:
    return [chunk async for chunk in handler.stream_completion(ASK, **options)]  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # only str options are passed


@pytest.mark.parametrize(
    "fault",
    [
        Reply(status=429),
        Reply(status=500),
        Reply(status=503),
        Reply(status=401),
        Reply(status=403),
        Reply(malformed=True),
        Reply(text=""),
        Reply(delay_s=1.0),
    ],
    ids=["429", "500", "503", "401", "403", "malformed", "empty", "timeout"],
)
async def test_retryable_fault_moves_to_the_next_provider(fault: Reply, server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script("openai", fault)
    handler = make_handler("openai", "anthropic", timeout_s=0.3)
    result = await handler.generate_response(ASK, provider_id="openai")
    assert (result.provider_id, result.text) == ("anthropic", "echo: ping")
    assert len(server.requests("openai")) == 1
    assert len(server.requests("anthropic")) == 1
    charged = handler.costs_by_provider().get("openai", 0.0)
    # An error status is not billed; a reply or a timeout after the provider read the request may be.
    assert charged > 0.0 if fault.status is None else charged == 0.0


async def test_connection_refused_moves_to_the_next_provider(server: LoopbackServer) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener now
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    handler = BYOKHandler(
        api_keys={"openai": KEYS["openai"], "deepseek": KEYS["deepseek"]},
        base_urls={"openai": f"http://127.0.0.1:{dead_port}/v1", "deepseek": server.base_url("deepseek")},
    )
    async with handler:
        result = await handler.generate_response(ASK, provider_id="openai")
    assert result.provider_id == "deepseek"


async def test_client_error_raises_without_failover(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script("openai", Reply(status=400, error_message="bad model parameter"))
    handler = make_handler("openai", "anthropic")
    with pytest.raises(ProviderError) as caught:
        await handler.generate_response(ASK, provider_id="openai")
    assert (caught.value.provider_id, caught.value.status, caught.value.retryable) == ("openai", 400, False)
    assert "bad model parameter" in str(caught.value)
    assert server.requests("anthropic") == []


async def test_all_failing_lists_every_attempt_in_order(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script("openai", Reply(status=500))
    server.script("anthropic", Reply(status=429))
    server.script("deepseek", Reply(status=503))
    handler = make_handler("openai", "anthropic", "deepseek")
    with pytest.raises(AllProvidersFailedError) as caught:
        await handler.generate_response(ASK, provider_id="openai")
    attempts = caught.value.attempts
    assert next(a.provider_id for a in attempts) == "openai"
    assert sorted((a.provider_id, a.status) for a in attempts) == [("anthropic", 429), ("deepseek", 503), ("openai", 500)]
    assert all(key not in str(caught.value) for key in KEYS.values())


async def test_explicit_provider_goes_first_then_the_ranked_chain(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    handler = make_handler("openai", "anthropic", "mistral")
    chain = [r.provider_id for r in handler.get_routing_info("ping").routes]
    assert chain[0] != "anthropic"
    server.script("anthropic", Reply(status=500))
    result = await handler.generate_response(ASK, provider_id="anthropic")
    assert result.provider_id == chain[0]  # anthropic was tried first, then the head of the ranked chain
    assert len(server.requests("anthropic")) == 1


async def test_a_provider_that_keeps_failing_goes_last(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    handler = make_handler("openai", "anthropic")
    first = handler.get_ranked_providers()[0].provider_id
    server.script(first, *[Reply(status=503)] * 3)
    for _ in range(3):
        await handler.generate_response(ASK)
    assert handler.get_ranked_providers()[-1].provider_id == first
    result = await handler.generate_response(ASK)
    assert result.provider_id != first
    assert len(server.requests(first)) == 3  # not asked a fourth time


async def test_stream_fails_over_before_the_first_text(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script("openai", Reply(status=503))
    chunks = await stream_text(make_handler("openai", "anthropic"), provider_id="openai")
    assert {c.provider_id for c in chunks} == {"anthropic"}
    assert "".join(c.text for c in chunks) == "echo: ping"


async def test_stream_cut_after_text_raises_and_replays_nothing(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script("openai", Reply(text="one two three four", cut_after_chunks=2))
    handler = make_handler("openai", "anthropic")
    received: list[str] = []
    with pytest.raises(StreamInterruptedError) as caught:
        async for chunk in handler.stream_completion(ASK, provider_id="openai"):
            received.append(chunk.text)
    assert received == ["one ", "two "]
    assert (caught.value.provider_id, caught.value.delivered_chars) == ("openai", 8)
    assert server.requests("anthropic") == []
    info = handler.catalog.require(chunk.model)
    assert handler.total_cost_usd == pytest.approx(info.cost_usd(bound_message_tokens(ASK), bound_tokens("one two ")))


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
async def test_stream_with_malformed_event_fails_over_before_text(
    provider_id: str, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    other = "deepseek"
    server.script(provider_id, Reply(malformed=True))
    chunks = await stream_text(make_handler(provider_id, other), provider_id=provider_id)
    assert chunks[-1].provider_id == other
