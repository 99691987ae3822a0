"""The Anthropic adapter reads a message built by the SDK model."""

from __future__ import annotations

from anthropic.types import Message
from protodoubles import double, mock_of

from byok.adapters.anthropic_wire import AnthropicWireAdapter
from byok.adapters.base import ChatRequest
from contracts.anthropic_client_protocol import AnthropicClientProtocol

REQUEST = ChatRequest("claude-sonnet-4-0", ({"role": "user", "content": "hi"},))


async def test_reads_message_text() -> None:
    client = double(AnthropicClientProtocol)
    mock_of(client.messages.create).returns(Message.model_construct(content="hi", stop_reason="end_turn"))
    adapter = AnthropicWireAdapter("anthropic", api_key="sk-ant-test", base_url="http://127.0.0.1:9", timeout_s=1.0, client=client)
    done = await adapter.complete(REQUEST)
    assert done.text == "hi"
