"""The adapter's chat call is stubbed for the failover path."""

from __future__ import annotations

from protodoubles import mock_of

from byok.adapters.base import Completion
from byok.types import Usage
from tests.unit.conftest import Adapters


def test_stub_chat_on_openai(adapters: Adapters) -> None:
    mock_of(adapters["openai"].complete_chat).returns(Completion("hi", "stop", Usage(1, 1)))  # type: ignore[attr-defined]
    assert adapters["openai"].provider_id == "openai"
