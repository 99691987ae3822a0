"""Fixtures: a loopback server per test, and handlers wired to it through the real SDKs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Protocol

import pytest

from byok import BYOKHandler
from byok.providers import PROVIDERS
from tests.loopback import LoopbackServer

KEYS = {provider_id: f"sk-{provider_id}-test-0123456789abcdef" for provider_id in PROVIDERS}


class HandlerFactory(Protocol):
    def __call__(
        self, *provider_ids: str, timeout_s: float = ..., budget_usd: float | None = ..., idle_timeout_s: float | None = ...
    ) -> BYOKHandler: ...


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


@pytest.fixture
async def make_handler(server: LoopbackServer) -> AsyncIterator[HandlerFactory]:
    """``make_handler("openai", "anthropic", budget_usd=...)``: a handler whose named providers have keys
    and point at the loopback server. Every handler made is closed after the test."""
    made: list[BYOKHandler] = []

    def make(
        *provider_ids: str, timeout_s: float = 5.0, budget_usd: float | None = None, idle_timeout_s: float | None = None
    ) -> BYOKHandler:
        handler = BYOKHandler(
            api_keys={p: KEYS[p] for p in provider_ids},
            base_urls={p: server.base_url(p, PROVIDERS[p].wire) for p in provider_ids},
            timeout_s=timeout_s,
            budget_usd=budget_usd,
            idle_timeout_s=idle_timeout_s,
        )
        made.append(handler)
        return handler

    yield make
    for handler in made:
        await handler.aclose()
