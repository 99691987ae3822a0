"""The project's one rule about skips and expected failures: in tests/unit and tests/contract, a test that
ends skipped, or carries an xfail mark (on the function or a ``pytest.param``), fails unless the reason
starts with ``platform:`` (``pytest.mark.skipif(<platform condition>, reason="platform: ...")``). Such a test
cannot fail, so it is the quietest way around every gate. ``pytest.xfail()`` itself is banned (ruff)."""

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
    expected_failure = item.get_closest_marker("xfail")
    if expected_failure is not None and report.when == "call" and _guarded(item):
        reason = str(expected_failure.kwargs.get("reason", ""))
        if not reason.startswith(ACCEPTED_PREFIX):
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid} is marked xfail ({reason or 'no reason'}); in tests/unit and tests/contract it needs a reason starting {ACCEPTED_PREFIX!r}"
            return report
    if report.skipped and expected_failure is None and _guarded(item):
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
