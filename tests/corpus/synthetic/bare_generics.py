"""A class written without --strict: generic types used without parameters, also outside ``__init__``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Dict


class EventBus:
    def __init__(self, on_error: Callable) -> None:
        self.on_error = on_error
        self.pending: tuple = ()

    def subscribe(self, topic: str, handler: Callable) -> None:
        self.handlers: Dict = {topic: handler}

    def stream(self, topic: str) -> AsyncIterator:
        raise NotImplementedError(topic)

    def publish(self, topic: str, payload: bytes) -> Awaitable:
        raise NotImplementedError(topic)

    def snapshot(self) -> tuple:
        return (self.pending,)
