"""The legacy completion endpoint on the OpenAI client double."""

from __future__ import annotations

from typing import Protocol

from protodoubles import double, mock_of

from contracts.openai_client_protocol import OpenAIClientProtocol


class LegacyClient(OpenAIClientProtocol, Protocol):
    async def completions_create(self, *, model: str, prompt: str) -> dict[str, str]: ...


async def test_legacy_completion() -> None:
    client = double(LegacyClient)
    mock_of(client.completions_create).returns({"text": "legacy"})
    assert (await client.completions_create(model="gpt-3.5-turbo-instruct", prompt="hi"))["text"] == "legacy"
