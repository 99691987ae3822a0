"""A provider failure surfaces as an error to the caller."""

from __future__ import annotations

import pytest
from protodoubles import mock_of

from byok import Message
from byok.errors import ProviderError
from tests.unit.conftest import Adapters, HandlerMaker

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_single_provider_failure_raises(make_handler: HandlerMaker, adapters: Adapters) -> None:
    handler = make_handler("openai")
    mock_of(adapters["openai"].stream).raises(ProviderError("openai", "down", status=503, retryable=True))
    with pytest.raises(Exception):  # noqa: PT011
        await handler.generate_response(HI)
