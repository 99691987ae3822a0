"""expect_misuse: the only way a test may provoke a misuse of a double without failing at teardown."""

from __future__ import annotations

import contextlib

import pytest
from protodoubles import DoubleNotConfiguredError, double
from protodoubles._internal.doubles.misuse import DoubleMisuseError, expect_misuse, recorded

from byok.adapters.base import ChatRequest
from contracts.adapter_protocol import ProviderAdapterProtocol

REQUEST = ChatRequest("m", ({"role": "user", "content": "hi"},))


def test_misuse_errors_get_past_except_exception() -> None:
    assert not issubclass(DoubleMisuseError, Exception)
    assert issubclass(DoubleNotConfiguredError, DoubleMisuseError)


async def test_an_expected_misuse_is_taken_off_the_record() -> None:
    adapter = double(ProviderAdapterProtocol)
    with expect_misuse(DoubleNotConfiguredError, match=r"complete\(\) was called but never configured"):
        await adapter.complete(REQUEST)
    assert recorded() == []


def test_nothing_raised_is_an_assertion_failure() -> None:
    with (
        pytest.raises(AssertionError, match="expected DoubleNotConfiguredError; nothing was raised"),
        expect_misuse(DoubleNotConfiguredError),
    ):
        pass


async def test_a_misuse_swallowed_inside_the_block_does_not_count() -> None:
    adapter = double(ProviderAdapterProtocol)
    with (
        pytest.raises(AssertionError, match="nothing was raised"),
        expect_misuse(DoubleNotConfiguredError),
        contextlib.suppress(DoubleNotConfiguredError),
    ):
        await adapter.complete(REQUEST)
    assert [type(e) for e in recorded()] == [DoubleNotConfiguredError]
    with expect_misuse(DoubleNotConfiguredError):  # this test's own misuse stays on the record until expected
        raise recorded()[0]


def test_a_different_message_is_an_assertion_failure() -> None:
    with pytest.raises(AssertionError, match="'stream' is not in"), expect_misuse(DoubleNotConfiguredError, match="stream"):
        raise DoubleNotConfiguredError("double(X).complete() was called but never configured")
    assert len(recorded()) == 1  # still on the record: the plugin would fail this test at teardown
    with expect_misuse(DoubleNotConfiguredError, match="complete"):
        raise recorded()[0]
