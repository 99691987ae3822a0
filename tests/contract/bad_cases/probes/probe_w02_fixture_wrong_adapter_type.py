"""The openai adapter's client is the SDK client."""

from __future__ import annotations

from byok.adapters.openai_wire import OpenAIWireAdapter


def test_adapter_client(adapters: dict[str, OpenAIWireAdapter]) -> None:
    assert adapters["openai"].provider_id == "openai"
    assert adapters["openai"].client is not None
