"""Reported usage drives the cost."""

from __future__ import annotations

import pytest

from byok import Message, Usage
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, replies

HI: list[Message] = [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize("usage", [(10, 5), (100, 50)])
async def test_usage_costs(handler: BYOKProtocol, adapters: Adapters, usage: Usage) -> None:
    replies(adapters["openai"], "ok", usage=usage)
    result = await handler.generate_response(HI, provider_id="openai")
    assert result.cost_usd > 0
