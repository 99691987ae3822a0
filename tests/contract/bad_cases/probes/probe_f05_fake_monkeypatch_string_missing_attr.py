"""Token streaming, with the handler's stream method replaced."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest


async def fake_stream_tokens(*args: object, **kwargs: object) -> AsyncIterator[str]:
    yield "tok"


def test_stream_tokens_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("byok.handler.BYOKHandler.stream_tokens", fake_stream_tokens)
    assert fake_stream_tokens is not None
