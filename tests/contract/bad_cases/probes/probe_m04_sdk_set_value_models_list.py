"""The client lists its models."""

from __future__ import annotations

from protodoubles import double, set_value

from contracts.anthropic_client_protocol import AnthropicClientProtocol


def test_models_listed() -> None:
    client = double(AnthropicClientProtocol)
    set_value(client, "models", ["claude-sonnet-4-0", "claude-haiku"])
    assert client.models is not None
