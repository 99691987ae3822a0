"""The token stream as the UI consumes it."""

from __future__ import annotations

from unittest.mock import patch  # noqa: TID251

from byok import BYOKHandler


def test_stream_tokens_yields_pieces() -> None:
    with patch.object(BYOKHandler, "stream_tokens", create=True, return_value=iter(["he", "llo"])) as fake:
        pieces = list(fake("hi"))
    assert "".join(pieces) == "hello"
