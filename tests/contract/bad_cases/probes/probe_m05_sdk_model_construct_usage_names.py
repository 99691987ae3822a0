"""Usage from the OpenAI completion reaches the adapter's result."""

from __future__ import annotations

from openai.types.chat import ChatCompletion
from openai.types.chat.chat_completion import Choice
from openai.types.chat.chat_completion_message import ChatCompletionMessage
from protodoubles import double, mock_of

from byok.adapters.base import ChatRequest
from byok.adapters.openai_wire import OpenAIWireAdapter
from contracts.openai_client_protocol import OpenAIClientProtocol

REQUEST = ChatRequest("gpt-4o-mini", ({"role": "user", "content": "hi"},))


async def test_usage_reaches_result() -> None:
    client = double(OpenAIClientProtocol)
    message = ChatCompletionMessage(role="assistant", content="hi")
    reply = ChatCompletion.model_construct(
        choices=[Choice(index=0, message=message, finish_reason="stop")],
        usage={"input_tokens": 3, "output_tokens": 2},
    )
    mock_of(client.chat.completions.create).returns(reply)
    adapter = OpenAIWireAdapter("openai", api_key="sk-test", base_url="http://127.0.0.1:9", timeout_s=1.0, client=client)
    done = await adapter.complete(REQUEST)
    assert done.text == "hi"
