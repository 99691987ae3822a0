"""Code that needs only a reply function."""

from __future__ import annotations

from typing import Protocol

from protodoubles import double, mock_of


class Replier(Protocol):
    async def generate_response(self, prompt: str, *, model: str = ...) -> str: ...


async def test_replier_double() -> None:
    replier = double(Replier)
    mock_of(replier.generate_response).returns("hello")
    assert await replier.generate_response("hi", model="gpt-4o") == "hello"
