"""The adapter calls the client's chat endpoint."""

from __future__ import annotations

from types import SimpleNamespace

from protodoubles import double, set_value

from byok.adapters.openai_wire import OpenAIWireAdapter
from contracts.openai_client_protocol import OpenAIClientProtocol


async def _create(**kwargs: object) -> dict[str, str]:
    return {"text": "hi"}


def test_chat_endpoint_replaced() -> None:
    client = double(OpenAIClientProtocol)
    set_value(client, "chat", SimpleNamespace(completions=SimpleNamespace(create=_create)))
    adapter = OpenAIWireAdapter("openai", api_key="sk-test", base_url="http://127.0.0.1:9", timeout_s=1.0, client=client)
    assert adapter.provider_id == "openai"
