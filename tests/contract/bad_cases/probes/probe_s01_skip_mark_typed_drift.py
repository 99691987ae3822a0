"""Chat through the one-shot helper (flaky on CI)."""

from __future__ import annotations

import pytest

from contracts.byok_protocol import BYOKProtocol


@pytest.mark.skip(reason="flaky on CI, see ticket")
async def test_complete_chat(handler: BYOKProtocol) -> None:
    text = await handler.complete_chat("hi")
    assert text
