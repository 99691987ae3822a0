"""One adapter per wire protocol. Each module imports its SDK; ``byok`` imports them only on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from byok.providers import PROVIDERS

if TYPE_CHECKING:
    from byok.adapters.base import ProviderAdapter


def adapter_module(provider_id: str) -> str:
    """The module of the adapter for ``provider_id``'s wire (importing it imports the SDK)."""
    return f"byok.adapters.{PROVIDERS[provider_id].wire}_wire"


def build_adapter(provider_id: str, api_key: str, base_url: str, timeout_s: float, max_response_bytes: int) -> ProviderAdapter:
    """The client of ``provider_id``, on its wire's SDK."""
    spec = PROVIDERS[provider_id]
    if spec.wire == "anthropic":
        from byok.adapters.anthropic_wire import AnthropicWireAdapter

        return AnthropicWireAdapter(
            provider_id, api_key=api_key, base_url=base_url, timeout_s=timeout_s, max_response_bytes=max_response_bytes
        )
    from byok.adapters.openai_wire import OpenAIWireAdapter

    return OpenAIWireAdapter(
        provider_id,
        api_key=api_key,
        base_url=base_url,
        timeout_s=timeout_s,
        stream_usage_option=spec.stream_usage_option,
        max_response_bytes=max_response_bytes,
    )
