"""Code under test for the tool's own tests: it probes optional features and builds its own client, as
provider wrappers do. Its file name is not a test file's, so the doubles treat it as code under test."""

from __future__ import annotations

from typing import Protocol

import sdk_module


class Sender(Protocol):
    """What the wrapper needs of a client."""

    timeout: float

    def send(self, text: str, *, retries: int = 0) -> str: ...


class Client:
    """The real client: the wrapper builds one itself."""

    def __init__(self, api_key: str, *, timeout: float = 10.0) -> None:
        self.api_key = api_key
        self.timeout = timeout

    def send(self, text: str, *, retries: int = 0) -> str:
        return f"sent {text} with {retries} retries"


def has_batching(client: Sender) -> bool:
    return hasattr(client, "send_batch")


def batch_sender(client: Sender) -> object:
    return getattr(client, "send_batch", None)


def batch_sender_or_none(client: Sender) -> object:
    try:
        return client.send_batch  # type: ignore[attr-defined]  # probed on purpose: an optional feature
    except AttributeError:
        return None


class Wrapper:
    """Builds its own client from a key, as a provider wrapper does."""

    def __init__(self, api_key: str) -> None:
        self.client = Client(api_key, timeout=5.0)

    def shout(self, text: str) -> str:
        return self.client.send(text.upper(), retries=2)


def read_batch(client: Sender) -> object:
    return client.send_batch  # type: ignore[attr-defined]  # drift on purpose: the attribute is not declared


class ModuleWrapper:
    """Reaches its client's class through the SDK's module."""

    def __init__(self, api_key: str) -> None:
        self.client = sdk_module.Client(api_key)


def send_or_none(client: Sender) -> str | None:
    try:
        return client.sned("hi")  # type: ignore[attr-defined,no-any-return]  # drift on purpose: a misspelt method, swallowed
    except Exception:  # a wrapper that swallows everything, as some do
        return None
