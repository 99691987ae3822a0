"""The real classes conform to their generated protocols, statically (mypy checks this module in the
gate: `mypy tests/`) and at run time (`assert_conforms`)."""

from __future__ import annotations

import pytest
from protodoubles import assert_conforms

from byok import BYOKHandler
from byok.adapters.anthropic_wire import AnthropicWireAdapter
from byok.adapters.base import ProviderAdapter
from byok.adapters.openai_wire import OpenAIWireAdapter
from contracts.adapter_protocol import ProviderAdapterProtocol
from contracts.byok_protocol import BYOKProtocol


def statically(handler: BYOKHandler, openai: OpenAIWireAdapter, anthropic: AnthropicWireAdapter) -> None:
    """Never run: mypy checks that each real class is assignable to its protocol, and that the
    generated adapter protocol is what the handler's port accepts."""
    as_protocol: BYOKProtocol = handler
    adapters: list[ProviderAdapterProtocol] = [openai, anthropic]
    port: ProviderAdapter = adapters[0]
    del as_protocol, port


@pytest.mark.parametrize(
    ("impl", "proto"),
    [(BYOKHandler, BYOKProtocol), (OpenAIWireAdapter, ProviderAdapterProtocol), (AnthropicWireAdapter, ProviderAdapterProtocol)],
)
def test_real_class_conforms_at_run_time(impl: type, proto: type) -> None:
    assert_conforms(impl, proto)


def test_a_real_instance_conforms_too() -> None:
    assert_conforms(BYOKHandler(api_keys={}), BYOKProtocol)
