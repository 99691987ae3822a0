"""fit_messages at its exact edges: a conversation whose estimate equals the context is kept as it is, the
dropping stops as soon as the rest fits, and a shortened conversation loses only its leading assistant
messages, however many there are."""

from __future__ import annotations

from byok import Message
from byok.routing import estimate_message_tokens, fit_messages


def _user(content: str) -> Message:
    return {"role": "user", "content": content}


def _assistant(content: str) -> Message:
    return {"role": "assistant", "content": content}


def _system(content: str) -> Message:
    return {"role": "system", "content": content}


def test_a_conversation_whose_estimate_equals_the_context_is_kept_whole() -> None:
    messages = [_user("a" * 40), _assistant("b" * 40), _user("c" * 40)]  # 14 estimated tokens each
    assert estimate_message_tokens(messages) == 42
    assert fit_messages(messages, 42) == messages


def test_dropping_stops_when_the_rest_fits_exactly() -> None:
    messages = [_user("a" * 40), _user("b" * 40), _user("c" * 40)]
    assert fit_messages(messages, 28) == messages[1:]  # 42 - 14 = 28: the second message stays
    assert fit_messages(messages, 27) == messages[2:]


def test_a_conversation_ending_in_a_system_message_that_fits_exactly_is_kept() -> None:
    messages = [_user("u" * 40), _system("s" * 40)]
    assert fit_messages(messages, 28) == messages  # nothing to shorten, and nothing needs it


def test_every_leading_assistant_message_of_a_shortened_conversation_goes() -> None:
    messages = [_user("x" * 400), _assistant("first"), _assistant("second"), _user("now")]
    assert fit_messages(messages, 20) == [messages[3]]


def test_only_the_leading_assistant_messages_go_the_rest_of_the_exchange_stays() -> None:
    messages = [_user("x" * 400), _assistant("a"), _user("q1"), _assistant("b"), _user("q2")]
    assert fit_messages(messages, 30) == messages[2:]
