"""Streaming with the new chat stream helpers of the SDK."""

from __future__ import annotations

import pytest
from protodoubles import double, mock_of

from byok import ChatResult, Message, Usage
from contracts.byok_protocol import BYOKProtocol

pytest.importorskip("openai.lib.streaming.chat_v2")

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_stream_reply() -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.generate_response).returns(ChatResult("a", "openai", "m", Usage(1, 1), 0.0, "stop"))
    texts = [c.text async for c in handler.stream_completion(HI)]
    assert texts == ["a"]
