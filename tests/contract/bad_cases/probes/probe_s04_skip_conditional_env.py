"""Streaming answers from the chosen provider (needs BYOK_LIVE to run)."""

from __future__ import annotations

import os

import pytest

from byok import Message
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, replies

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_stream_answers(handler: BYOKProtocol, adapters: Adapters) -> None:
    if not os.environ.get("BYOK_LIVE"):
        pytest.skip("set BYOK_LIVE=1 to run")
    replies(adapters["openai"], "streamed")
    text = "".join([c.text async for c in handler.stream_completion(HI, provider_id="openai")])
    assert text == "streamed"
