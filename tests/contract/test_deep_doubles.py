"""Deep doubles on a hand-written protocol family: children of properties and attributes, made lazily
(a protocol may refer to itself), replaceable through set_value, strict and clearly labelled."""

from __future__ import annotations

from typing import Literal, Protocol, overload

import pytest
from protodoubles import Call, DoubleNotConfiguredError, DoubleSignatureError, double, expect_misuse, mock_of, set_value, when


class Leaf(Protocol):
    @overload
    def get(self, key: str) -> str: ...
    @overload
    def get(self, key: str, *, many: Literal[True]) -> list[str]: ...
    def size(self) -> int: ...


class Branch(Protocol):
    leaf: Leaf  # an attribute typed with a protocol

    @property
    def parent(self) -> Branch: ...  # itself: only a lazy child can terminate


class Root(Protocol):
    name: str

    @property
    def branch(self) -> Branch: ...


def test_children_of_attributes_and_properties_are_made_once_and_lazily() -> None:
    root = double(Root)
    assert root.branch is root.branch
    assert root.branch.leaf is root.branch.leaf
    assert root.branch.parent.parent is root.branch.parent.parent  # no endless recursion: made on first access
    assert root.branch.parent is not root.branch


def test_children_are_labelled_by_their_path() -> None:
    root = double(Root)
    with expect_misuse(DoubleNotConfiguredError, match=r"double\(Root\)\.branch\.leaf\.size\(\) was called but never configured"):
        root.branch.leaf.size()
    with expect_misuse(DoubleNotConfiguredError, match=r"double\(Root\)\.name was never set"):
        _ = root.name == "x"


def test_a_child_can_be_replaced_through_set_value() -> None:
    root = double(Root)
    other = double(Branch)
    set_value(root, "branch", other)
    assert root.branch is other


def test_overloads_of_a_sync_method() -> None:
    leaf = double(Root).branch.leaf
    mock_of(leaf.get).returns("one")
    when(lambda: leaf.get("k", many=True)).returns(["a", "b"])
    assert leaf.get("k") == "one"
    assert leaf.get("k", many=True) == ["a", "b"]
    with expect_misuse(DoubleSignatureError, match="matches none of the 2 overloads"):
        leaf.get("k", few=True)  # type: ignore[call-overload]  # ty: ignore[no-matching-overload]  # off every overload on purpose
    assert mock_of(leaf.get).calls == [Call(("k",), {}), Call(("k",), {"many": True})]  # as written, not bound to one overload
    mock_of(leaf.get).assert_any_call("k")  # typed against the first overload (see the README)


def test_when_raises_and_the_latest_stub_wins() -> None:
    leaf = double(Leaf)
    when(leaf.size).returns(1)
    when(leaf.size).returns(2)
    assert leaf.size() == 2
    when(leaf.size).raises(ValueError("gone"))
    with pytest.raises(ValueError, match="gone"):
        leaf.size()


def test_returns_answers_only_the_first_overload_the_one_mypy_checks_it_against() -> None:
    leaf = double(Leaf)
    mock_of(leaf.get).returns("one")
    assert leaf.get("k") == "one"
    with expect_misuse(DoubleNotConfiguredError, match=r"double\(Leaf\)\.get\(\) was called as its overload 2 \(-> list\[str\]\)"):
        leaf.get("k", many=True)
    with expect_misuse(DoubleSignatureError, match=r"many=False is not one of \(True,\)"):
        leaf.get("k", many=False)  # type: ignore[call-overload]  # ty: ignore[invalid-argument-type]  # off every overload on purpose
    mock_of(leaf.get).raises(KeyError("k"))
    with pytest.raises(KeyError):
        leaf.get("k", many=True)  # raises() answers every call
