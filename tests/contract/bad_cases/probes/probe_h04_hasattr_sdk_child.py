"""The OpenAI client double offers the legacy completion endpoint."""

from __future__ import annotations

from protodoubles import double

from contracts.openai_client_protocol import OpenAIClientProtocol


def test_legacy_completion_endpoint_optional() -> None:
    client = double(OpenAIClientProtocol)
    legacy = client.chat.completion if hasattr(client.chat, "completion") else None
    assert legacy is None or callable(legacy)
