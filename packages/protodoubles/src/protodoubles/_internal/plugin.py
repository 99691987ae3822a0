"""The pytest plugin of protodoubles (entry point ``pytest11``: ``protodoubles``; turn it off with ``-p no:protodoubles``).

- At session start, when pyproject.toml has ``[tool.gen_protocol]``, a stale generated protocol fails the
  session with its drift lines (``--no-protocol-check`` skips this).
- Whatever ``inject()`` put in place is undone after each test.
- Any misuse of a typed double during a test (see protodoubles._internal.doubles.misuse) fails that test at teardown, even when
  the test swallowed the error, and even under ``@pytest.mark.xfail``.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from protodoubles._internal.doubles import inject, misuse

_MISUSED = pytest.StashKey[list[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("protodoubles")
    group.addoption(
        "--no-protocol-check",
        action="store_true",
        default=False,
        help="do not check at session start that the protocols in [tool.gen_protocol] are fresh",
    )


def pytest_configure(config: pytest.Config) -> None:
    """A test file is what this session collects as one: its reads of undeclared attributes are drift."""
    misuse.TEST_FILES[:] = [*config.getini("python_files"), "conftest.py"]


def stale_protocols(root: Path) -> list[str]:
    """The drift report of every stale protocol configured in ``root``/pyproject.toml (empty: all fresh
    or nothing configured). Bad configuration is reported as one line."""
    from protodoubles._internal.api import check
    from protodoubles._internal.errors import GenerationError

    try:
        result = check(root)  # no [tool.gen_protocol]: no targets, nothing stale
    except GenerationError as exc:
        return [f"gen_protocol: error: {exc}"]
    return [line for stale in result.stale for line in stale.report(root)]


def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    if config.getoption("no_protocol_check") or hasattr(config, "workerinput"):
        return  # off, or an xdist worker: the controller has checked
    drift = stale_protocols(config.rootpath)
    if drift:
        pytest.exit("stale generated protocol(s):\n" + "\n".join(drift), returncode=pytest.ExitCode.TESTS_FAILED)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    misuse.ledger(clear=True)
    return (yield)


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    try:
        yield
    finally:
        inject.undo_all()
        found = [f"{type(e).__name__}: {e}" for e in misuse.ledger(clear=True)]
    if found:
        item.stash[_MISUSED] = found
        pytest.fail("a typed double was misused during this test (the error was swallowed):\n" + "\n".join(found), pytrace=False)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    misused = item.stash.get(_MISUSED, None) if call.when == "teardown" else misuse.ledger(clear=False)
    if misused and hasattr(report, "wasxfail"):  # xfail does not excuse a misused double
        del report.wasxfail
        report.outcome = "failed"
    return report
