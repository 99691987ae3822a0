"""Checks a request before anything is sent; each failure names what is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from byok.errors import InvalidRequestError
from byok.types import ROLES, Message

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
        checked.append({"role": role, "content": content})
    if all(m["role"] == "system" for m in checked):
        raise InvalidRequestError("messages has only system messages: add a user message")
    return checked


def validate_options(
    temperature: float, max_tokens: int | None, stop: str | Sequence[str] | None
) -> tuple[str, ...] | None:
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
    return stops
