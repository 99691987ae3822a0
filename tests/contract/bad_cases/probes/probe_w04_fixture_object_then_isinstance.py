"""The handler fixture, typed loosely, narrowed to a handler-like protocol."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class Streams(Protocol):
    def stream_tokens(self, prompt: str) -> list[str]: ...


def test_handler_streams_tokens(handler: object) -> None:
    if isinstance(handler, Streams):
        assert handler.stream_tokens("hi")
    assert handler is not None
