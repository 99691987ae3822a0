"""The adapter ignores an unknown helper."""

from __future__ import annotations

import contextlib

from protodoubles._internal.doubles import misuse

from tests.unit.conftest import Adapters

HELPER = "complete_chat"


def test_unknown_helper_ignored(adapters: Adapters) -> None:
    with contextlib.suppress(BaseException):
        setattr(adapters["openai"], HELPER, None)
    misuse.reset()
    assert adapters["openai"].provider_id == "openai"
