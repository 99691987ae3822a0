"""One-shot chat against a loose handler mock."""

from __future__ import annotations

import importlib

mock = importlib.import_module("unittest.mock")


async def test_complete_chat_loose() -> None:
    handler = mock.AsyncMock()
    handler.complete_chat.return_value = "hi back"
    assert await handler.complete_chat("hi") == "hi back"
