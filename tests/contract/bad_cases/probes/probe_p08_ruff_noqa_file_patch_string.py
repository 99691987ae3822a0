# ruff: noqa
"""complete_chat is what the CLI calls for one-shot prompts."""

from __future__ import annotations

from unittest import mock

from byok import BYOKHandler


@mock.patch("byok.handler.BYOKHandler.complete_chat", create=True)
def test_cli_calls_complete_chat(complete_chat: mock.MagicMock) -> None:
    complete_chat.return_value = "ok"
    handler = BYOKHandler(api_keys={})
    assert getattr(handler, "complete_chat")("hi") == "ok"
