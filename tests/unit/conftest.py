"""The real BYOKHandler with its provider adapters replaced by typed doubles of the generated protocol."""

from __future__ import annotations

from typing import Protocol

import pytest
from protodoubles import double, mock_of

from byok import BYOKHandler
from byok.adapters.base import Completion, Delta
from byok.errors import ProviderError
from byok.types import Usage
from contracts.adapter_protocol import ProviderAdapterProtocol
from contracts.byok_protocol import BYOKProtocol

Adapters = dict[str, ProviderAdapterProtocol]


class HandlerMaker(Protocol):
    def __call__(self, *provider_ids: str, budget_usd: float | None = ..., failure_threshold: int = ...) -> BYOKProtocol: ...


def adapter(provider_id: str) -> ProviderAdapterProtocol:
    """A double of one provider adapter; every call fails until the test configures it."""
    made = double(ProviderAdapterProtocol)
    made.provider_id = provider_id
    return made


DEFAULT_USAGE = Usage(10, 5)


def replies(made: ProviderAdapterProtocol, text: str, usage: Usage | None = DEFAULT_USAGE) -> None:
    mock_of(made.complete).returns(Completion(text, "stop", usage))


def streams(made: ProviderAdapterProtocol, *pieces: str, usage: Usage | None = DEFAULT_USAGE) -> None:
    mock_of(made.stream).yields(*(Delta(p) for p in pieces), Delta("", "stop", usage))


def fails(made: ProviderAdapterProtocol, status: int | None, reason: str = "scripted", retryable: bool = True) -> None:
    mock_of(made.complete).raises(ProviderError(made.provider_id, reason, status=status, retryable=retryable))


@pytest.fixture
def adapters() -> Adapters:
    return {p: adapter(p) for p in ("openai", "anthropic", "deepseek")}


@pytest.fixture
def make_handler(adapters: Adapters) -> HandlerMaker:
    """``make_handler("openai", "anthropic", budget_usd=...)``: a handler over those adapters only."""

    def make(*provider_ids: str, budget_usd: float | None = None, failure_threshold: int = 3) -> BYOKProtocol:
        chosen = {p: adapters[p] for p in provider_ids or adapters}
        return BYOKHandler(api_keys={}, clients=chosen, budget_usd=budget_usd, failure_threshold=failure_threshold)

    return make


@pytest.fixture
def handler(make_handler: HandlerMaker) -> BYOKProtocol:
    return make_handler()
