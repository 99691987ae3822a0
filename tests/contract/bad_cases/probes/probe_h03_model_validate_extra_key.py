"""A reply with no content comes back as empty text, finished."""

from __future__ import annotations

from openai.types.chat import ChatCompletion
from protodoubles import double, mock_of

from byok.adapters.base import ChatRequest
from byok.adapters.openai_wire import OpenAIWireAdapter
from contracts.openai_client_protocol import OpenAIClientProtocol
from tests.sdk_payloads import MODEL

EMPTY = ChatCompletion.model_validate(
    {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": MODEL,
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "text": ""}}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 0, "total_tokens": 3},
    }
)


async def test_empty_reply() -> None:
    client = double(OpenAIClientProtocol)
    mock_of(client.chat.completions.create).returns(EMPTY)
    adapter = OpenAIWireAdapter("openai", api_key="sk-test", base_url="http://127.0.0.1:9", timeout_s=1.0, client=client)
    reply = await adapter.complete(ChatRequest(MODEL, ({"role": "user", "content": "hi"},)))
    assert reply.finish_reason == "stop"
