"""Tests generated for each provider."""

from __future__ import annotations

SOURCE = """
from unittest.mock import MagicMock


def test_generated_complete_chat():
    handler = MagicMock()
    handler.complete_chat.return_value = "ok"
    assert handler.complete_chat("hi") == "ok"
"""

exec(compile(SOURCE, "<generated>", "exec"))
