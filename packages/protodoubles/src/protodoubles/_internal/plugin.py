"""The pytest plugin of protodoubles (entry point ``pytest11``: ``protodoubles``; turn it off with ``-p no:protodoubles``).

- At session start, when pyproject.toml has ``[tool.gen_protocol]``, a stale generated protocol fails the
  session with its drift lines (``--no-protocol-check`` skips this).
- Whatever ``inject()`` put in place is undone after each test.
- A test's arguments (parametrized values and fixture values) are checked against its annotations, and a
  replacement given to ``monkeypatch.setattr`` against what it replaces (``protodoubles._internal.replacements``).
- Any misuse of a typed double during a test (see protodoubles._internal.doubles.misuse) fails that test at teardown, even when
  the test swallowed the error, and even under ``@pytest.mark.xfail``.
"""

from __future__ import annotations

import inspect
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from protodoubles._internal.doubles import inject, misuse
from protodoubles._internal.doubles.misuse import DoubleTypeError
from protodoubles._internal.replacements import argument_problems, replacement_problems

_PLAIN_SETATTR = pytest.MonkeyPatch.setattr

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
    """A test file is what this session collects as one: its reads of undeclared attributes are drift.
    monkeypatch.setattr checks what it puts in place."""
    misuse.TEST_FILES[:] = [*config.getini("python_files"), "conftest.py"]
    pytest.MonkeyPatch.setattr = _checked_setattr  # type: ignore[method-assign]  # restored by pytest_unconfigure


def pytest_unconfigure(config: pytest.Config) -> None:
    pytest.MonkeyPatch.setattr = _PLAIN_SETATTR  # type: ignore[method-assign]  # as it was before the session


def _checked_setattr(self: pytest.MonkeyPatch, *args: Any, **kwargs: Any) -> None:
    """monkeypatch.setattr, then: the replacement must be able to stand in for what it replaced."""
    __tracebackhide__ = True  # a failing test shows its own line, not this frame
    done: list[tuple[object, str, object]] = self._setattr  # pytest's own record of what it replaced
    before = len(done)
    _PLAIN_SETATTR(self, *args, **kwargs)
    if len(done) == before:
        return
    target, name, original = done[-1]
    replacement = inspect.getattr_static(target, name, None)
    where = f"monkeypatch.setattr of {getattr(target, '__name__', type(target).__name__)}.{name}"
    problems = replacement_problems(original, replacement, where)
    if problems:
        raise DoubleTypeError("the replacement cannot stand in for the original:\n" + "\n".join(problems))


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> None:
    """Every argument the test receives must be of the type its annotation says."""
    function = pyfuncitem.obj
    arguments = {name: pyfuncitem.funcargs[name] for name in inspect.signature(function).parameters if name in pyfuncitem.funcargs}
    problems = argument_problems(function, arguments)
    if problems:
        pytest.fail(f"{pyfuncitem.name}: " + "; ".join(problems), pytrace=False)


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
    if call.when == "call" and report.failed and call.excinfo is not None and isinstance(call.excinfo.value, misuse.DoubleMisuseError):
        misuse.forget(call.excinfo.value)  # it failed the test itself: not reported a second time at teardown
    return report
