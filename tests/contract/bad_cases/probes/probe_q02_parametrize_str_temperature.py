"""Temperature is forwarded to the provider."""

from __future__ import annotations

import pytest

from byok import Message
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, replies

HI: list[Message] = [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize("temperature", ["0.2", "0.7"])
async def test_temperature_forwarded(handler: BYOKProtocol, adapters: Adapters, temperature: float) -> None:
    replies(adapters["openai"], "ok")
    result = await handler.generate_response(HI, provider_id="openai", temperature=temperature)
    assert result.text == "ok"
