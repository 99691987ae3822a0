"""The adapters tolerate the old helper name."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from tests.unit.conftest import Adapters

OLD_HELPER = "complete_chat"


@pytest.fixture(autouse=True)
def _quiet_doubles() -> Iterator[None]:
    import protodoubles._internal.doubles.misuse as record

    yield
    record.reset()


def test_old_helper_tolerated(adapters: Adapters) -> None:
    for adapter in adapters.values():
        with contextlib.suppress(BaseException):
            setattr(adapter, OLD_HELPER, None)
    assert sorted(adapters) == ["anthropic", "deepseek", "openai"]
