"""The handler's one-shot chat, with a fake handler class."""

from __future__ import annotations

import pytest

import byok.handler


class FakeHandler:
    def __init__(self, **settings: object) -> None:
        self.settings = settings

    async def complete_chat(self, prompt: str) -> str:
        return f"fake: {prompt}"


async def test_complete_chat_with_fake_class(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("byok.handler.BYOKHandler", FakeHandler)
    made = byok.handler.BYOKHandler(api_keys={})
    assert isinstance(made, FakeHandler)
    assert await made.complete_chat("hi") == "fake: hi"
