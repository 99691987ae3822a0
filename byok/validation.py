"""Checks a request before anything is sent, and the numbers a reply or a setting carries; each failure
names what is wrong."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeGuard

from byok.errors import InvalidRequestError
from byok.types import ROLES, Message, Usage

MAX_STOP_SEQUENCES = 4


def validate_messages(messages: Sequence[Message] | Any) -> list[Message]:
    """A fresh list of plain ``{"role", "content"}`` messages, or InvalidRequestError."""
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise InvalidRequestError(f"messages must be a list of {{'role', 'content'}} dicts, got {type(messages).__name__}")
    if not messages:
        raise InvalidRequestError("messages is empty: send at least one user message")
    checked: list[Message] = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise InvalidRequestError(f"messages[{index}] must be a dict, got {type(message).__name__}")
        role, content = message.get("role"), message.get("content")
        if role not in ROLES:
            raise InvalidRequestError(f"messages[{index}] has unknown role {role!r}; use one of {sorted(ROLES)}")
        if not isinstance(content, str):
            raise InvalidRequestError(f"messages[{index}].content must be a str, got {type(content).__name__}")
        if role != "system" and not content.strip():
            raise InvalidRequestError(f"messages[{index}].content is empty: a {role} message needs text")
        _check_encodable(index, content)
        checked.append({"role": role, "content": content})
    if not any(m["role"] == "user" for m in checked):
        raise InvalidRequestError("messages has no user message: add one")
    return checked


def _check_encodable(index: int, content: str) -> None:
    """Every message goes out as UTF-8 JSON: a lone surrogate (such as a byte that was not UTF-8, decoded
    with surrogateescape) cannot, and would otherwise fail inside the SDK as if the provider had failed."""
    if content.isascii():
        return
    try:
        content.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidRequestError(f"messages[{index}].content cannot be encoded as UTF-8: {exc.reason} at character {exc.start}") from None


def validate_options(temperature: float, max_tokens: int | None, stop: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """Check the sampling options; returns the stop sequences as a tuple."""
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or not 0 <= temperature <= 2:
        raise InvalidRequestError(f"temperature must be a number from 0 to 2, got {temperature!r}")
    if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1):
        raise InvalidRequestError(f"max_tokens must be a positive int or None, got {max_tokens!r}")
    if stop is None:
        return None
    stops = (stop,) if isinstance(stop, str) else tuple(stop)
    if not stops or len(stops) > MAX_STOP_SEQUENCES or not all(isinstance(s, str) and s for s in stops):
        raise InvalidRequestError(f"stop must be 1 to {MAX_STOP_SEQUENCES} non-empty strings, got {stop!r}")
    for stop_text in stops:
        if not stop_text.isascii() and not _utf8(stop_text):
            raise InvalidRequestError(f"stop sequence {stop_text!r} cannot be encoded as UTF-8")
    return stops


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


MAX_SECONDS = 1e6  # about 11 days: any deadline or cooldown beyond this is a mistake, and overflows timers


def positive_number(name: str, value: object, *, allow_zero: bool = False, at_most: float = MAX_SECONDS) -> float:
    """``value`` as a finite float > 0 (or >= 0) and at most ``at_most``, else InvalidRequestError naming
    the setting."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidRequestError(f"{name} must be a finite number, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidRequestError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")
    if value > at_most:
        raise InvalidRequestError(f"{name} must be at most {at_most:g}, got {value!r}")
    return float(value)


def positive_int(name: str, value: object, *, at_most: int | None = None) -> int:
    """``value`` as an int >= 1 (and at most ``at_most``), else InvalidRequestError naming the setting."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError(f"{name} must be an int >= 1, got {value!r}")
    if at_most is not None and value > at_most:
        raise InvalidRequestError(f"{name} must be at most {at_most}, got {value!r}")
    return value


def checked_usage(input_tokens: object, output_tokens: object) -> Usage | None:
    """Token counts as a provider reported them, or None when they are unusable (missing, null, not an
    int, negative): the caller then charges an estimate instead."""
    if _count(input_tokens) and _count(output_tokens):
        return Usage(input_tokens, output_tokens)
    return None


def _count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
