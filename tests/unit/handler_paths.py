"""Shared pieces of the handler-path tests: the default catalog, a one-message conversation, what an
adapter double was asked, and a drained stream."""

from __future__ import annotations

from protodoubles import mock_of

from byok import Message, StreamChunk
from byok.adapters.base import ChatRequest
from byok.catalog import ModelCatalog
from byok.types import ModelInfo
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters

CATALOG = ModelCatalog.default()
HI: list[Message] = [{"role": "user", "content": "hi"}]


def asked(adapters: Adapters, provider_id: str, stream: bool = False) -> list[ChatRequest]:
    method = adapters[provider_id].stream if stream else adapters[provider_id].complete
    return [call.args[0] for call in mock_of(method).calls]


async def collect(handler: BYOKProtocol, messages: list[Message] = HI, **options: str | float) -> list[StreamChunk]:
    return [c async for c in handler.stream_completion(messages, **options)]  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # str and float options only


def skip_catalog() -> ModelCatalog:
    """Three providers whose middle one (by strength) costs far more than a budget of a cent allows."""
    return ModelCatalog(
        [
            ModelInfo("o", "openai", 0.1, 0.1, 100_000, 1),
            ModelInfo("d", "deepseek", 500.0, 500.0, 100_000, 3),  # far over a budget of 0.01
            ModelInfo("a", "anthropic", 0.2, 0.2, 100_000, 1),
        ]
    )
