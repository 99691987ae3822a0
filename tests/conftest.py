"""The project's one rule about skips: a test in tests/unit or tests/contract that ends skipped fails,
unless its reason starts with ``platform:`` (``pytest.mark.skipif(<platform condition>, reason="platform:
...")``). A skipped test cannot fail, so a skip is the quietest way around every gate."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

GUARDED = ("tests/unit/", "tests/contract/")
ACCEPTED_PREFIX = "platform:"
ROOT = Path(__file__).resolve().parent.parent


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.skipped and item.get_closest_marker("xfail") is None and _guarded(item):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if not reason.removeprefix("Skipped: ").startswith(ACCEPTED_PREFIX):
            report.outcome = "failed"
            report.longrepr = (
                f"{item.nodeid} was skipped ({reason}); in tests/unit and tests/contract a skip needs a reason starting {ACCEPTED_PREFIX!r}"
            )
    return report


def _guarded(item: pytest.Item) -> bool:
    try:
        relative = item.path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return False
    return relative.startswith(GUARDED)
