"""The handler as a loose stand-in built from mock_open."""

from __future__ import annotations

from unittest.mock import mock_open


def test_mock_open_handler() -> None:
    handler = mock_open()
    handler.complete_chat.return_value = "ok"
    assert handler.complete_chat("hi") == "ok"
