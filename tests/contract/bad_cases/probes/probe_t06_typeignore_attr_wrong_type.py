"""A handler double carries its timeout as configured."""

from __future__ import annotations

from protodoubles import double

from contracts.byok_protocol import BYOKProtocol


def test_timeout_is_kept() -> None:
    handler = double(BYOKProtocol)
    handler.timeout_s = "30s"  # type: ignore[assignment]
    assert handler.timeout_s
