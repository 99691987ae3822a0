"""The OpenAI adapter reads a completion built by the SDK model."""

from __future__ import annotations

from openai.types.chat import ChatCompletion
from protodoubles import double, mock_of

from byok.adapters.base import ChatRequest
from byok.adapters.openai_wire import OpenAIWireAdapter
from contracts.openai_client_protocol import OpenAIClientProtocol

REQUEST = ChatRequest("gpt-4o-mini", ({"role": "user", "content": "hi"},))


async def test_reads_completion_text() -> None:
    client = double(OpenAIClientProtocol)
    mock_of(client.chat.completions.create).returns(ChatCompletion.model_construct(choices=[{"index": 0, "text": "hi"}]))
    adapter = OpenAIWireAdapter("openai", api_key="sk-test", base_url="http://127.0.0.1:9", timeout_s=1.0, client=client)
    done = await adapter.complete(REQUEST)
    assert done.finish_reason == "stop"
