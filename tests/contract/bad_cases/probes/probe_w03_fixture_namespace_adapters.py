"""Chat is stubbed on each adapter."""

from __future__ import annotations

from types import SimpleNamespace


async def _reply(*args: object) -> str:
    return "stub"


def test_stub_each_adapter(adapters: dict[str, SimpleNamespace]) -> None:
    for adapter in adapters.values():
        adapter.complete_chat = _reply
    assert len(adapters) == 3
