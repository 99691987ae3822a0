"""Stream collected by a loosely checked helper."""

from __future__ import annotations

import typing

from protodoubles import double, mock_of

from contracts.byok_protocol import BYOKProtocol


async def _collect() -> list[str]:
    handler = double(BYOKProtocol)
    mock_of(handler.stream_completion).yields("a")
    return [c async for c in await handler.stream_completion("hi")]


test_collect = typing.no_type_check(_collect)
