"""A stream refused by a failing provider raises to the caller."""

from __future__ import annotations

import pytest

from byok import Message
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, fails

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_stream_failure_raises(handler: BYOKProtocol, adapters: Adapters) -> None:
    fails(adapters["openai"], 400, retryable=False)
    with pytest.raises(BaseException):  # noqa: B017, PT011
        async for _ in handler.stream_completion(HI, provider_id="openai"):
            pass
