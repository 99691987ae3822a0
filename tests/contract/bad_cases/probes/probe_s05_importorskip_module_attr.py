"""The legacy chat entry point still answers."""

from __future__ import annotations

import pytest

legacy = pytest.importorskip("byok.legacy_chat")


async def test_legacy_complete_chat() -> None:
    reply = await legacy.complete_chat("hi", model="gpt-4o-mini")
    assert reply.text
