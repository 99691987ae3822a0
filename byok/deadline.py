"""Deadlines: ``timeout_s`` bounds a whole attempt, from connecting to the last byte, and an optional idle
timeout bounds the wait for each piece of a stream. The SDKs' own timeouts bound each read only, so a
provider that trickles bytes (or keep-alive comments, or pings) would otherwise hold a request forever."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from typing import TypeVar

from byok.errors import ProviderError

T = TypeVar("T")


async def within(provider_id: str, timeout_s: float, work: Awaitable[T]) -> T:
    """Await ``work``, or raise a retryable ProviderError once ``timeout_s`` has passed."""
    scope = asyncio.timeout(timeout_s)
    try:
        async with scope:
            return await work
    except TimeoutError:
        if not scope.expired():
            raise ProviderError(provider_id, "timed out", retryable=True) from None
    raise ProviderError(provider_id, f"no complete reply within timeout_s={timeout_s:g}", retryable=True)


class Deadline:
    """The deadline of one streamed attempt; ``next`` waits for the stream's next item within it."""

    __slots__ = ("_at", "_idle_s", "_loop", "_provider_id", "_timeout_s")

    def __init__(self, provider_id: str, timeout_s: float, idle_s: float | None) -> None:
        self._loop = asyncio.get_running_loop()
        self._at = self._loop.time() + timeout_s
        self._timeout_s = timeout_s
        self._idle_s = idle_s
        self._provider_id = provider_id

    async def next(self, items: AsyncIterator[T]) -> T:
        """The next item; StopAsyncIteration at the end; a retryable ProviderError past a deadline."""
        idle_at = None if self._idle_s is None else self._loop.time() + self._idle_s
        at = self._at if idle_at is None else min(self._at, idle_at)
        scope = asyncio.timeout_at(at)
        try:
            async with scope:
                return await anext(items)
        except TimeoutError:
            if not scope.expired():
                raise ProviderError(self._provider_id, "timed out", retryable=True) from None
        if at == self._at:
            reason = f"stream not finished within timeout_s={self._timeout_s:g}"
        else:
            reason = f"no data for idle_timeout_s={self._idle_s:g}"
        raise ProviderError(self._provider_id, reason, retryable=True)
