"""A request that never left (the connection was refused) is charged nothing, on either wire, whole or
streamed: the provider cannot bill what it never read."""

from __future__ import annotations

import socket

import pytest

from byok import AllProvidersFailedError, BYOKHandler
from byok.providers import PROVIDERS
from tests.integration.conftest import KEYS


def dead_base_url() -> str:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener now
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/v1"


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_a_refused_connection_charges_nothing(provider_id: str, stream: bool) -> None:
    assert PROVIDERS[provider_id].wire == provider_id
    handler = BYOKHandler(api_keys={provider_id: KEYS[provider_id]}, base_urls={provider_id: dead_base_url()}, budget_usd=1.0)
    async with handler:
        with pytest.raises(AllProvidersFailedError, match="connection failed"):
            if stream:
                async for _ in handler.stream_completion([{"role": "user", "content": "word " * 2_000}]):
                    pass
            else:
                await handler.generate_response([{"role": "user", "content": "word " * 2_000}])
    assert handler.costs_by_provider() == {}
    assert handler.total_cost_usd == 0
