"""Token streaming against a mock handler."""

from __future__ import annotations

import unittest.mock

MagicLike = vars(unittest.mock)["MagicMock"]


def test_stream_tokens_mock() -> None:
    handler = MagicLike()
    handler.stream_tokens.return_value = iter(["a", "b"])
    assert list(handler.stream_tokens("hi")) == ["a", "b"]
