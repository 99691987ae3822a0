"""Consecutive replies and partial argument checks, typed against the method's own signature."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Literal, Protocol, overload

import pytest
from protodoubles import ANY, DoubleNotConfiguredError, Raise, double, expect_misuse, mock_of


class Replies(Protocol):
    def ask(self, question: str, *, model: str, temperature: float = 1.0) -> str: ...
    async def fetch(self, key: str) -> int: ...
    def watch(self, key: str) -> AsyncIterator[int]: ...


def test_replies_come_in_order_an_error_among_them_and_a_call_beyond_the_last_fails() -> None:
    replies = double(Replies)
    mock_of(replies.ask).returns("tool use", Raise(TimeoutError("slow")), "final answer")
    assert replies.ask("q", model="m") == "tool use"
    with pytest.raises(TimeoutError, match="slow"):
        replies.ask("q", model="m")
    assert replies.ask("q", model="m") == "final answer"
    with expect_misuse(
        DoubleNotConfiguredError, match=r"double\(Replies\)\.ask\(\) was called 4 times, but only 3 replies were configured"
    ):
        replies.ask("q", model="m")


def test_one_value_answers_every_call_and_configuring_again_starts_over() -> None:
    replies = double(Replies)
    handle = mock_of(replies.ask).returns("same")
    assert [replies.ask("q", model="m") for _ in range(3)] == ["same"] * 3
    handle.returns("a", "b")
    assert [replies.ask("q", model="m"), replies.ask("q", model="m")] == ["a", "b"]


def test_replies_of_a_coroutine_method_are_awaited_values() -> None:
    replies = double(Replies)
    mock_of(replies.fetch).returns(1, Raise(KeyError("k")), 3)

    async def run() -> None:
        assert await replies.fetch("k") == 1
        with pytest.raises(KeyError):
            await replies.fetch("k")
        assert await replies.fetch("k") == 3

    asyncio.run(run())
    assert mock_of(replies.fetch).await_count == 3


def test_an_unconfigured_stream_read_with_anext_is_a_misuse() -> None:
    replies = double(Replies)
    with expect_misuse(DoubleNotConfiguredError, match=r"watch\(\) was iterated but never configured"):
        asyncio.run(anext(replies.watch("k")))  # type: ignore[arg-type]  # anext() returns an awaitable that asyncio.run accepts at run time


def test_assert_last_call_has_checks_only_the_arguments_given() -> None:
    replies = double(Replies)
    mock_of(replies.ask).returns("x")
    replies.ask("first", model="a")
    replies.ask("second", model="b", temperature=0.5)
    handle = mock_of(replies.ask)
    handle.assert_last_call_has(ANY, model="b")
    handle.assert_last_call_has("second", model=ANY, temperature=0.5)
    handle.assert_last_call_has(question="second", model="b")  # by name or by position alike
    with pytest.raises(AssertionError, match=r"model='b', expected 'a'"):
        handle.assert_last_call_has(ANY, model="a")
    with pytest.raises(AssertionError, match=r"temperature='\(not given\)', expected 1\.0"):
        replies.ask("third", model="c")
        handle.assert_last_call_has(ANY, model="c", temperature=1.0)  # a default the call did not pass is not given


def test_assert_last_call_has_without_a_call_fails() -> None:
    with pytest.raises(AssertionError, match=r"expected a call with call\(ANY, model='m'\)"):
        mock_of(double(Replies).ask).assert_last_call_has(ANY, model="m")


class Overloaded(Protocol):
    @overload
    def create(self, *, model: str, stream: Literal[False] = False) -> str: ...
    @overload
    def create(self, *, model: str, stream: Literal[True]) -> list[str]: ...


def test_assert_last_call_has_binds_to_the_overload_the_call_selected() -> None:
    made = double(Overloaded)
    mock_of(made.create).returns("x")
    made.create(model="m")
    mock_of(made.create).assert_last_call_has(model="m")
    with pytest.raises(AssertionError, match=r"model='m', expected 'n'"):
        mock_of(made.create).assert_last_call_has(model="n")


def test_a_sequence_may_start_with_an_error_and_one_raise_raises_every_time() -> None:
    replies = double(Replies)
    mock_of(replies.ask).returns(Raise(TimeoutError("first")), "second")
    with pytest.raises(TimeoutError, match="first"):
        replies.ask("q", model="m")
    assert replies.ask("q", model="m") == "second"
    mock_of(replies.ask).returns(Raise(TimeoutError("always")))
    for _ in range(2):
        with pytest.raises(TimeoutError, match="always"):
            replies.ask("q", model="m")
