"""Streamed chunks from the OpenAI client come out as text."""

from __future__ import annotations

from openai.types.chat import ChatCompletionChunk
from protodoubles import double, mock_of

from contracts.openai_client_protocol import OpenAIClientProtocol


async def test_stream_chunks() -> None:
    client = double(OpenAIClientProtocol)
    chunk = ChatCompletionChunk.model_construct(choices=[{"delta": "hel"}], object="chat.completion.chunk")
    mock_of(client.chat.completions.create).returns(chunk)
    got = await client.chat.completions.create(model="gpt-4o-mini", messages=[], stream=True)
    assert got is chunk
