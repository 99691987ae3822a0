"""Issue 19, deadlines and lifecycle: a huge message list on the OpenAI wire holds its deadline and never
freezes the event loop, and one handler serves several event loops in turn."""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest

import byok.adapters.openai_wire  # noqa: F401  # loaded up front: the SDK's import is not what is measured
from byok import BYOKError, BYOKHandler, Message
from byok.providers import PROVIDERS
from tests.integration.conftest import KEYS
from tests.loopback import LoopbackServer, Reply

MARGIN_S = 3.0


async def heartbeat(gaps: list[float], stop: asyncio.Event) -> None:
    """Tick every 10 ms, and record the longest wait between ticks: how long the loop was frozen."""
    last = time.monotonic()
    while not stop.is_set():
        await asyncio.sleep(0.01)
        now = time.monotonic()
        gaps.append(now - last)
        last = now


@pytest.mark.parametrize(
    ("count", "model"),
    [(4_001, "gpt-4.1"), (40_001, "gpt-4.1"), (40_001, "gpt-4o")],
    ids=["4001", "40001", "40001 fitted to a 128k window"],
)
async def test_a_huge_message_list_holds_the_deadline_and_never_freezes_the_loop(count: int, model: str, server: LoopbackServer) -> None:
    messages: list[Message] = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"message {i}"} for i in range(count)]
    handler = BYOKHandler(api_keys={"openai": KEYS["openai"]}, base_urls={"openai": server.base_url("openai")}, timeout_s=3.0)
    gaps: list[float] = []
    stop = asyncio.Event()
    ticker = asyncio.create_task(heartbeat(gaps, stop))
    start = time.monotonic()
    async with handler:
        with contextlib.suppress(BYOKError):  # refused with a clear limit, or failed within the deadline: either holds
            await handler.generate_response(messages, model=model)
        elapsed = time.monotonic() - start
    stop.set()
    await ticker
    assert elapsed < 3.0 + MARGIN_S
    assert max(gaps) < 1.0, f"the event loop was frozen for {max(gaps):.1f} s"


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
def test_one_handler_serves_several_event_loops_in_turn(provider_id: str, server: LoopbackServer) -> None:
    handler = BYOKHandler(
        api_keys={provider_id: KEYS[provider_id]}, base_urls={provider_id: server.base_url(provider_id, PROVIDERS[provider_id].wire)}
    )

    async def ask(i: int) -> str:
        if i % 2:
            return "".join([c.text async for c in handler.stream_completion([{"role": "user", "content": f"call {i}"}])])
        return (await handler.generate_response([{"role": "user", "content": f"call {i}"}])).text

    replies = [asyncio.run(ask(i)) for i in range(4)]
    asyncio.run(handler.aclose())
    assert replies == [f"echo: call {i}" for i in range(4)]
    assert handler.health._failures == {}  # no call was counted against the provider
    assert len(server.requests(provider_id)) == 4


def test_a_handler_closed_on_one_loop_is_closed_again_on_another(server: LoopbackServer) -> None:
    handler = BYOKHandler(api_keys={"openai": KEYS["openai"]}, base_urls={"openai": server.base_url("openai")})
    server.script("openai", Reply(text="first"))

    async def ask_and_keep_open() -> str:
        return (await handler.generate_response([{"role": "user", "content": "hi"}])).text

    assert asyncio.run(ask_and_keep_open()) == "first"
    asyncio.run(handler.aclose())  # the client was built on a loop that is gone: closing it must not fail
    assert handler._owned == []


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
def test_a_client_built_on_a_loop_that_is_still_open_is_not_used_from_another(provider_id: str, server: LoopbackServer) -> None:
    handler = BYOKHandler(
        api_keys={provider_id: KEYS[provider_id]},
        base_urls={provider_id: server.base_url(provider_id, PROVIDERS[provider_id].wire)},
        timeout_s=2.0,
    )

    async def ask(i: int) -> str:
        return (await handler.generate_response([{"role": "user", "content": f"call {i}"}])).text

    first, second = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:
        assert first.run_until_complete(ask(1)) == "echo: call 1"  # its connection stays with the first loop
        assert second.run_until_complete(ask(2)) == "echo: call 2"
        second.run_until_complete(handler.aclose())
    finally:
        for loop in (first, second):
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
    assert handler.health._failures == {}
    assert handler._owned == []


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
def test_closing_on_another_loop_lets_go_of_a_client_whose_loop_is_still_open(provider_id: str, server: LoopbackServer) -> None:
    handler = BYOKHandler(
        api_keys={provider_id: KEYS[provider_id]},
        base_urls={provider_id: server.base_url(provider_id, PROVIDERS[provider_id].wire)},
        timeout_s=2.0,
    )

    async def ask() -> str:
        return (await handler.generate_response([{"role": "user", "content": "hi"}])).text

    first, second = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:
        assert first.run_until_complete(ask()) == "echo: hi"  # its connection stays with the first loop
        sdk = handler._clients[provider_id]._client  # type: ignore[attr-defined]  # ty: ignore[missing-attribute]  # the SDK client inside the adapter
        second.run_until_complete(asyncio.wait_for(handler.aclose(), 2.0))
        assert handler._owned == []
        assert not sdk.is_closed()  # let go, not closed from a loop it does not belong to
        first.run_until_complete(first.shutdown_asyncgens())
        assert sdk.is_closed()  # closed by its own loop as that loop shuts down
    finally:
        for loop in (first, second):
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
