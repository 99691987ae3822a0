"""Hostile and broken providers through the real SDKs: trickling replies, malformed bodies, usage that
lies, replies that inflate. Each one fails over (or is charged within bounds); none ever crashes."""

from __future__ import annotations

import asyncio
import time

import pytest

from byok import AllProvidersFailedError, BudgetExceededError, Message, StreamChunk
from byok.routing import bound_message_tokens, bound_tokens
from contracts.byok_protocol import BYOKProtocol
from tests.integration.conftest import HandlerFactory
from tests.loopback import LoopbackServer, Reply, Trickle

ASK: list[Message] = [{"role": "user", "content": "ping"}]
MARGIN_S = 3.0  # generous: the point is "about timeout_s", not "forever"


async def _ask(handler: BYOKProtocol, stream: bool, *, provider_id: str | None = None, model: str | None = None) -> tuple[str, str]:
    """(provider, text) of one request, whole or streamed."""
    if not stream:
        result = await handler.generate_response(ASK, provider_id=provider_id, model=model)
        return result.provider_id, result.text
    chunks: list[StreamChunk] = [c async for c in handler.stream_completion(ASK, provider_id=provider_id, model=model)]
    return chunks[-1].provider_id, "".join(c.text for c in chunks)


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
@pytest.mark.parametrize(("slow", "trickle"), [("openai", "body"), ("openai", "keepalive"), ("anthropic", "ping")])
async def test_a_trickling_provider_fails_over_within_the_deadline(
    slow: str, trickle: Trickle, stream: bool, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    if trickle != "body" and not stream:
        trickle = "body"  # keep-alives and pings are stream faults; a whole reply trickles its body
    server.script(slow, Reply(trickle=trickle, trickle_every_s=0.2, trickle_for_s=8.0))
    handler = make_handler(slow, "deepseek", timeout_s=1.0)
    start = time.monotonic()
    provider, text = await _ask(handler, stream, provider_id=slow)
    elapsed = time.monotonic() - start
    assert (provider, text) == ("deepseek", "echo: ping")
    assert elapsed < 1.0 + MARGIN_S  # the trickle would have held the request for 8 s
    # The slow provider read the request and may bill it: its input is charged, at its bound.
    model = server.requests(slow)[0].body["model"]
    assert handler.costs_by_provider()[slow] == pytest.approx(handler.catalog.require(model).cost_usd(bound_message_tokens(ASK), 0))


async def test_an_idle_stream_fails_over_long_before_the_deadline(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script("openai", Reply(trickle="keepalive", trickle_every_s=0.1, trickle_for_s=8.0))
    handler = make_handler("openai", timeout_s=30.0, idle_timeout_s=0.5)
    start = time.monotonic()
    with pytest.raises(AllProvidersFailedError, match=r"no data for idle_timeout_s=0\.5"):
        await _ask(handler, True)
    assert time.monotonic() - start < 0.5 + MARGIN_S


@pytest.mark.parametrize(
    "fault",
    [
        Reply(body=b"<html>oops</html>", content_type="text/html"),
        Reply(body=b"[1, 2]"),
        Reply(choices_raw=[None]),
        Reply(choices_raw=[{"index": 0}]),
        Reply(gzip_inflated_bytes=40 * 1024 * 1024),
    ],
    ids=["html", "array", "null choice", "no message", "gzip bomb"],
)
async def test_a_malformed_reply_fails_over(fault: Reply, server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script("openai", fault)
    handler = make_handler("openai", "deepseek")
    result = await handler.generate_response(ASK, provider_id="openai")
    assert (result.provider_id, result.text) == ("deepseek", "echo: ping")
    assert handler.health._failures == {"openai": 1}  # counted against the provider that sent it


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
@pytest.mark.parametrize("usage", [None, {}, {"prompt_tokens": "many"}, "lots"], ids=["null", "empty", "string", "not an object"])
async def test_unusable_usage_is_charged_as_an_estimate(
    usage: object, provider_id: str, stream: bool, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    server.script(provider_id, Reply(text="four words of reply", usage_raw=usage))
    handler = make_handler(provider_id)
    provider, _ = await _ask(handler, stream)
    model = handler.get_routing_info("ping").routes[0].model
    expected = handler.catalog.require(model).cost_usd(bound_message_tokens(ASK), bound_tokens("four words of reply"))
    assert handler.costs_by_provider() == {provider: pytest.approx(expected)}


async def test_negative_usage_never_credits_the_budget(server: LoopbackServer, make_handler: HandlerFactory) -> None:
    server.script("openai", *[Reply(usage=(-1_000_000, -1_000_000))] * 3)
    handler = make_handler("openai", budget_usd=1.0)
    for _ in range(3):
        await handler.generate_response(ASK)
    assert 0.0 < handler.total_cost_usd < 0.001  # estimates of three tiny requests, not a refund


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
async def test_two_hundred_concurrent_requests_to_an_overreporting_provider_stay_within_budget(
    provider_id: str, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    budget = 0.5
    model = "gpt-4o" if provider_id == "openai" else "claude-sonnet-4-0"
    for _ in range(200):
        server.script(provider_id, Reply(text="a reply " * 50, usage=(10**9, 10**9)))
    handler = make_handler(provider_id, budget_usd=budget)

    async def one(i: int) -> bool:
        try:
            await _ask(handler, stream=i % 2 == 1, model=model)
        except BudgetExceededError:
            return False
        return True

    served = sum(await asyncio.gather(*(one(i) for i in range(200))))
    info = handler.catalog.require(model)
    sent = server.requests(provider_id)
    # Even if the provider billed every token each request allowed, the budget would hold.
    worst = sum(info.cost_usd(bound_message_tokens(ASK), r.body["max_tokens"]) for r in sent)
    assert served == len(sent) and 0 < served < 200
    assert worst <= budget
    assert handler.total_cost_usd <= budget
    assert handler.budget.reserved_usd == pytest.approx(0.0, abs=1e-12)
    assert min(r.body["max_tokens"] for r in sent) >= 256  # below that, a request is refused instead
