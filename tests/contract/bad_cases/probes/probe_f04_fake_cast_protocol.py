"""Code that takes a handler protocol, fed a fake through cast."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from contracts.byok_protocol import BYOKProtocol


class FakeHandler:
    async def generate_response(self, prompt: str) -> SimpleNamespace:
        return SimpleNamespace(text=f"fake {prompt}")


async def test_generate_response_through_cast() -> None:
    handler = cast(BYOKProtocol, FakeHandler())
    result = await handler.generate_response([{"role": "user", "content": "hi"}])
    assert result.text.startswith("fake")
