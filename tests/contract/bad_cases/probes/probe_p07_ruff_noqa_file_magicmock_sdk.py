# ruff: noqa
"""The OpenAI adapter reads the completion text."""

from __future__ import annotations

from unittest.mock import AsyncMock, MagicMock

from byok.adapters.base import ChatRequest
from byok.adapters.openai_wire import OpenAIWireAdapter


async def test_openai_adapter_reads_the_text() -> None:
    client = MagicMock()
    client.chat.completions.create = AsyncMock(return_value={"choices": [{"text": "hi"}], "usage": {"input_tokens": 1}})
    adapter = OpenAIWireAdapter("openai", api_key="sk-test", base_url="http://127.0.0.1:9", timeout_s=1.0, client=client)
    client.chat.completions.create.assert_not_called()
    assert adapter.provider_id == "openai"
    request = ChatRequest("gpt-4o-mini", ({"role": "user", "content": "hi"},))
    assert request.model == "gpt-4o-mini"
