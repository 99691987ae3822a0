"""The upper bound of every numeric setting at its exact edge: the bound itself is accepted, the next value
is refused with a message that names the setting, its bound and the value."""

from __future__ import annotations

import re

import pytest

from byok import BYOKHandler, InvalidRequestError
from byok.budget import MAX_BUDGET_USD, Budget
from byok.handler import MAX_RESPONSE_BYTES
from byok.validation import MAX_SECONDS, positive_int, positive_number


def test_a_number_of_seconds_is_accepted_up_to_its_bound_and_refused_past_it() -> None:
    assert MAX_SECONDS == 1e6
    assert positive_number("timeout_s", MAX_SECONDS) == MAX_SECONDS
    with pytest.raises(InvalidRequestError, match=re.escape("timeout_s must be at most 1e+06, got 1000000.5")):
        positive_number("timeout_s", 1_000_000.5)


def test_a_number_with_its_own_bound_is_held_to_that_bound() -> None:
    assert positive_number("x", 5, at_most=5) == 5.0
    with pytest.raises(InvalidRequestError, match=re.escape("x must be at most 5, got 5.25")):
        positive_number("x", 5.25, at_most=5)
    assert positive_number("x", 0, allow_zero=True, at_most=5) == 0.0


def test_an_int_is_unbounded_unless_given_a_bound_and_then_held_to_it() -> None:
    assert positive_int("n", 10**30) == 10**30
    assert positive_int("n", 7, at_most=7) == 7
    with pytest.raises(InvalidRequestError, match=re.escape("n must be at most 7, got 8")):
        positive_int("n", 8, at_most=7)


def test_a_budget_is_accepted_up_to_its_bound_and_refused_past_it() -> None:
    assert MAX_BUDGET_USD == 1e9
    assert Budget(MAX_BUDGET_USD).limit_usd == MAX_BUDGET_USD
    with pytest.raises(InvalidRequestError, match=re.escape("budget_usd must be at most 1e+09, got 1000000000.5")):
        Budget(1_000_000_000.5)


def test_the_reply_size_limit_is_accepted_up_to_its_bound_and_refused_past_it() -> None:
    assert MAX_RESPONSE_BYTES == 1 << 40
    assert BYOKHandler(api_keys={}, max_response_bytes=MAX_RESPONSE_BYTES).max_response_bytes == MAX_RESPONSE_BYTES
    with pytest.raises(InvalidRequestError, match=re.escape("max_response_bytes must be at most 1099511627776, got 1099511627777")):
        BYOKHandler(api_keys={}, max_response_bytes=MAX_RESPONSE_BYTES + 1)


@pytest.mark.parametrize("setting", ["timeout_s", "idle_timeout_s", "cooldown_s"])
def test_every_duration_setting_is_bounded_at_a_million_seconds(setting: str) -> None:
    BYOKHandler(api_keys={}, **{setting: MAX_SECONDS})  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # one float setting named at run time
    with pytest.raises(InvalidRequestError, match=re.escape(f"{setting} must be at most 1e+06")):
        BYOKHandler(api_keys={}, **{setting: MAX_SECONDS * 2})  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # one float setting named at run time
