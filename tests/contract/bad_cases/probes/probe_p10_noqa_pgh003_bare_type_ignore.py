"""One-shot chat on the handler fixture."""

from __future__ import annotations

from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, replies


async def test_one_shot(handler: BYOKProtocol, adapters: Adapters) -> None:
    replies(adapters["openai"], "hey")
    handler.stream_tokens = None  # type: ignore  # noqa: PGH003
    assert handler.get_available_providers()
