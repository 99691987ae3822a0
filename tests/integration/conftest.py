"""Fixtures: a loopback server per test, and handlers wired to it through the real SDKs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Protocol

import pytest

from byok import BYOKHandler
from byok.providers import PROVIDERS
from tests.loopback import LoopbackServer
from tests.redis_server import RedisServer

KEYS = {provider_id: f"sk-{provider_id}-test-0123456789abcdef" for provider_id in PROVIDERS}


class HandlerFactory(Protocol):
    def __call__(
        self,
        *provider_ids: str,
        timeout_s: float = ...,
        budget_usd: float | None = ...,
        idle_timeout_s: float | None = ...,
        budget_url: str | None = ...,
        budget_key: str | None = ...,
    ) -> BYOKHandler: ...


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real redis-server of this test's own, on a free loopback port."""
    with RedisServer(tmp_path / "redis") as running:
        yield running


@pytest.fixture
async def make_handler(server: LoopbackServer) -> AsyncIterator[HandlerFactory]:
    """``make_handler("openai", "anthropic", budget_usd=...)``: a handler whose named providers have keys
    and point at the loopback server. Every handler made is closed after the test."""
    made: list[BYOKHandler] = []

    def make(
        *provider_ids: str,
        timeout_s: float = 5.0,
        budget_usd: float | None = None,
        idle_timeout_s: float | None = None,
        budget_url: str | None = None,
        budget_key: str | None = None,
    ) -> BYOKHandler:
        handler = BYOKHandler(
            api_keys={p: KEYS[p] for p in provider_ids},
            base_urls={p: server.base_url(p, PROVIDERS[p].wire) for p in provider_ids},
            timeout_s=timeout_s,
            budget_usd=budget_usd,
            idle_timeout_s=idle_timeout_s,
            budget_url=budget_url,
            budget_key=budget_key,
        )
        made.append(handler)
        return handler

    yield make
    for handler in made:
        await handler.aclose()
