"""assert_conforms finds every kind of mismatch and names the member in each line."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

import pytest
from protodoubles import ConformanceError, assert_conforms, conformance_problems


class Shape(Protocol):
    size: int

    @property
    def label(self) -> str: ...

    async def fetch(self, key: str, *, fresh: bool = ...) -> bytes: ...

    def stream(self, key: str) -> AsyncIterator[bytes]: ...

    def count(self, /, value: int) -> int: ...


class Good:
    def __init__(self) -> None:
        self.size = 1

    @property
    def label(self) -> str:
        return "x"

    async def fetch(self, key: str, *, fresh: bool = False) -> bytes:
        return b""

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        yield b""

    def count(self, /, value: int) -> int:
        return value


class Drifted:
    def size(self) -> int:  # a method where an attribute is declared
        return 1

    def label(self) -> str:  # a method where a property is declared
        return "x"

    def fetch(self, key: str, fresh: bool = False) -> bytes:  # sync, and `fresh` no longer keyword-only
        return b""

    async def stream(self, name: str) -> bytes:  # a coroutine, a renamed parameter, another return type
        return b""


def test_a_conforming_class_and_instance_pass() -> None:
    assert conformance_problems(Good, Shape) == []
    assert_conforms(Good(), Shape)


def test_every_mismatch_is_listed_with_its_member() -> None:
    with pytest.raises(ConformanceError) as caught:
        assert_conforms(Drifted, Shape)
    problems = caught.value.problems
    assert problems == [
        "size: expected an attribute, found a method",
        "label: expected a property, found a method",
        "fetch: expected a coroutine method, found a sync method",
        "fetch(fresh): expected keyword-only, found positional or keyword",
        "stream: expected a async generator method, found a coroutine method",
        "stream(key): parameter missing",
        "stream(name): parameter not in the protocol",
        "stream() return: annotation differs: protocol 'AsyncIterator[bytes]', implementation 'bytes'",
        "count: method missing",
    ]
    assert str(caught.value).startswith("Drifted does not conform to Shape (9 problem(s)):")


def test_missing_attribute_on_an_instance_is_reported() -> None:
    good = Good()
    del good.size
    assert conformance_problems(good, Shape) == ["size: attribute missing"]


def test_annotation_and_default_changes_are_reported() -> None:
    class Shifted(Good):
        async def fetch(self, key: bytes, *, fresh: bool) -> bytes:  # type: ignore[override]  # ty: ignore[incompatible-method-override]  # the drift under test
            return b""

    assert conformance_problems(Shifted, Shape) == [
        "fetch(key): annotation differs: protocol 'str', implementation 'bytes'",
        "fetch(fresh): the protocol's parameter has a default, the implementation's does not match",
    ]
