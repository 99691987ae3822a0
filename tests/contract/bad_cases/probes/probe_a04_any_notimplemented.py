"""Context window lookups are delegated."""

from __future__ import annotations

from protodoubles import double, mock_of

from contracts.byok_protocol import BYOKProtocol


def test_context_window_delegated() -> None:
    handler = double(BYOKProtocol)
    mock_of(handler.get_context_window).returns(NotImplemented)
    assert handler.get_context_window("gpt-4o") is not None
