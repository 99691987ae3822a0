import pytest

from contracts.byok_protocol import BYOKProtocol


async def reply(*args: object) -> str:
    return "hi"


def test_monkeypatch_creates_a_missing_method(handler: BYOKProtocol, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handler, "complete_chat", reply, raising=False)
