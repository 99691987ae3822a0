"""Values given to a double are checked at run time against the protocol's types, so that a value mypy
cannot see (``Any``, a ``# type: ignore``, a parametrized argument) is still refused."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace
from typing import Any, Protocol
from unittest.mock import sentinel  # the Any-typed value under test

import pytest
from protodoubles import ANY, DoubleTypeError, Raise, double, expect_misuse, mock_of, set_value, when
from typed_protocols import Bank, Ledger

WRONG: list[Any] = [{"amount": 1}, "1.00", sentinel.balance, NotImplemented, None]


@pytest.mark.parametrize("wrong", WRONG)
def test_returns_refuses_a_value_of_the_wrong_type(wrong: Any) -> None:
    ledger = double(Ledger)
    with expect_misuse(DoubleTypeError, match=r"double\(Ledger\)\.balance\(\) is declared to return Decimal, and was given"):
        mock_of(ledger.balance).returns(wrong)
    mock_of(ledger.balance).returns(Decimal("1.00"))
    assert ledger.balance("a") == Decimal("1.00")


def test_every_reply_of_a_sequence_is_checked_and_the_awaited_type_is_what_counts() -> None:
    ledger = double(Ledger)
    mock_of(ledger.fetch).returns([Decimal(1)], Raise(KeyError("a")), [])
    with expect_misuse(DoubleTypeError, match=r"fetch\(\) is declared to return list\[Decimal\], and was given \[1\]"):
        mock_of(ledger.fetch).returns([Decimal(1)], [1])  # type: ignore[list-item]  # hidden from mypy: the run-time check still refuses it


def test_stream_items_are_checked_against_the_item_type() -> None:
    ledger = double(Ledger)
    mock_of(ledger.entries).yields(Decimal(1), Decimal(2))
    with expect_misuse(DoubleTypeError, match=r"entries\(\) is declared to yield from AsyncIterator\[Decimal\], and was given 'x'"):
        mock_of(ledger.entries).yields(Decimal(1), "x")  # type: ignore[arg-type]  # hidden from mypy: the run-time check still refuses it


def test_a_stub_is_checked_against_the_overload_its_call_selects() -> None:
    ledger = double(Ledger)
    when(lambda: ledger.get("k", many=True)).returns(["a"])
    with expect_misuse(DoubleTypeError, match=r"get\(\) is declared to return list\[str\], and was given 'a'"):
        when(lambda: ledger.get("k", many=True)).returns("a")  # type: ignore[arg-type]  # hidden from mypy: the run-time check still refuses it
    with expect_misuse(DoubleTypeError, match=r"get\(\) is declared to return str, and was given \['a'\]"):
        mock_of(ledger.get).returns(["a"])  # type: ignore[arg-type]  # hidden from mypy: the run-time check still refuses it


def test_attributes_and_properties_are_checked_when_set() -> None:
    ledger = double(Ledger)
    ledger.currency = "EUR"
    set_value(ledger, "rate", Fraction(1, 3))
    with expect_misuse(DoubleTypeError, match=r"double\(Ledger\)\.currency is declared as str, and was given 978"):
        ledger.currency = 978  # type: ignore[assignment]  # the wrong type under test
    with expect_misuse(DoubleTypeError, match=r"rate is declared as Fraction, and was given 0\.33"):
        set_value(ledger, "rate", 0.33)


def test_a_child_takes_a_double_of_its_protocol_or_something_with_every_member() -> None:
    bank = double(Bank)
    set_value(bank, "ledger", double(Ledger))
    with expect_misuse(
        DoubleTypeError,
        match=r"double\(Bank\)\.ledger is declared as Ledger, and was given namespace\(currency='EUR'\), which lacks balance",
    ):
        set_value(bank, "ledger", SimpleNamespace(currency="EUR"))
    with expect_misuse(DoubleTypeError, match=r"\.ledger is declared as Ledger"):
        set_value(bank, "ledger", double(Bank))  # a double of another protocol


def test_a_type_that_cannot_be_resolved_is_not_checked() -> None:
    ledger = double(Ledger)
    mock_of(ledger.opaque).returns(object())  # Opaque is not importable here: no false alarm
    assert ledger.opaque() is not None


def test_a_call_with_an_argument_of_the_wrong_type_is_a_misuse() -> None:
    ledger = double(Ledger)
    mock_of(ledger.balance).returns(Decimal(0))
    with expect_misuse(DoubleTypeError, match=r"double\(Ledger\)\.balance\(\) called with account=42: int is not an instance of str"):
        ledger.balance(42)  # type: ignore[arg-type]  # hidden from mypy: the run-time check still refuses it
    assert mock_of(ledger.balance).call_count == 0  # refused before it was recorded


def test_an_argument_matcher_and_an_overload_s_own_types_are_respected() -> None:
    ledger = double(Ledger)
    when(lambda: ledger.get(ANY, many=True)).returns(["a"])
    assert ledger.get("k", many=True) == ["a"]
    with expect_misuse(DoubleTypeError, match=r"get\(\) called with key=b'k'"):
        ledger.get(b"k", many=True)  # type: ignore[call-overload]  # hidden from mypy: the run-time check still refuses it


def test_a_string_or_list_given_for_an_iterable_is_judged_by_its_first_item() -> None:
    ledger = double(Ledger)
    ledger.post([Decimal(1)])
    ledger.post(iter([Decimal(1)]))  # an iterator is not consumed to be checked
    with expect_misuse(
        DoubleTypeError, match=r"post\(\) called with lines='12': its first item: str is not an instance of decimal.Decimal"
    ):
        ledger.post("12")  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # hidden from mypy: refused at run time
    with expect_misuse(DoubleTypeError, match=r"its first item: int is not an instance of decimal.Decimal"):
        ledger.post([1])  # type: ignore[list-item]  # ty: ignore[invalid-argument-type]  # hidden from mypy: refused at run time


def test_a_type_imported_for_the_checker_is_imported_only_when_a_check_needs_it() -> None:
    sys.modules.pop("xml.dom.minidom", None)
    ledger = double(Ledger)
    mock_of(ledger.balance).returns(Decimal(1))
    assert "xml.dom.minidom" not in sys.modules
    with expect_misuse(DoubleTypeError, match=r"document\(\) is declared to return Document"):
        mock_of(ledger.document).returns("not a document")  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # refused at run time
    assert "xml.dom.minidom" in sys.modules


@dataclass(frozen=True)
class Usage:
    tokens: int


@dataclass(frozen=True)
class Reply:
    text: str
    usage: Usage | None
    parts: list[Usage]


class Replier(Protocol):
    def reply(self) -> Reply: ...


def test_a_dataclass_is_checked_field_by_field_and_inside_its_fields() -> None:
    replier = double(Replier)
    mock_of(replier.reply).returns(Reply("hi", Usage(3), [Usage(1)]))
    wrong: list[Any] = [{"tokens": 3}, "3"]
    with expect_misuse(DoubleTypeError, match=r"was given Reply\(.*\): Reply\.usage: dict did not match any element in the union"):
        mock_of(replier.reply).returns(Reply("hi", wrong[0], []))
    with expect_misuse(DoubleTypeError, match=r"Reply\.usage: Usage\.tokens: str is not an instance of int"):
        mock_of(replier.reply).returns(Reply("hi", Usage(wrong[1]), []))
    with expect_misuse(DoubleTypeError, match=r"Reply\.parts: item 0 of list is not an instance of .*Usage"):
        mock_of(replier.reply).returns(Reply("hi", None, wrong))
