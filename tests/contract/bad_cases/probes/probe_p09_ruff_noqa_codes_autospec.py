# ruff: noqa: TID251
"""The handler protocol answers with plain text."""

from __future__ import annotations

from unittest.mock import create_autospec

from byok import Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


async def test_generate_response_returns_text() -> None:
    handler = create_autospec(BYOKProtocol, instance=True)
    handler.generate_response.return_value = "hello"
    assert await handler.generate_response(HI) == "hello"
