"""The OpenAI client double answers a create call."""

from __future__ import annotations

from protodoubles import double, mock_of

from contracts.openai_client_protocol import OpenAIClientProtocol
from tests.sdk_payloads import openai_completion


async def test_create_answers() -> None:
    client = double(OpenAIClientProtocol)
    mock_of(client.chat.completions.create).returns(openai_completion("hi"))
    reply = await client.chat.completions.create(model="gpt-4o-mini", messages=[], max_token=5)  # type: ignore[call-overload]
    assert reply.choices[0].message.content == "hi"
