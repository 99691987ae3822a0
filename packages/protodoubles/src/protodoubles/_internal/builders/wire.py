"""The wire side of the SDK builders: how a stream splits a text, a body of server-sent events, the HTTP
library an SDK is built on, and a JSON text of tool arguments. No SDK is imported here."""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import Any

BASE_URL = "http://protodoubles.invalid"  # a stream's client never sends: its body is already here


def pieces(text: str) -> list[str]:
    """``text`` as a stream carries it: one word and the space after it per piece (their join is ``text``)."""
    return re.findall(r"\S+\s*|\s+", text)


def sse_body(events: Iterable[tuple[str | None, str]]) -> bytes:
    """The body of a ``text/event-stream`` response: each ``(event name or None, data line)`` as one event."""
    return "".join((f"event: {name}\n" if name else "") + f"data: {data}\n\n" for name, data in events).encode()


def http_library(default_client: type) -> ModuleType:
    """The HTTP library an SDK release is built on (``httpx``, or ``httpx2`` in newer releases), found from
    the SDK's own default client class (``openai.DefaultHttpxClient``), so that a stream's response is of
    the class the SDK reads."""
    for base in default_client.__mro__[1:]:
        if base.__name__ == "Client":
            return importlib.import_module(base.__module__.partition(".")[0])
    raise RuntimeError(f"{default_client.__qualname__} is not built on an httpx-style Client; this SDK release is not supported")


def event_stream(http: ModuleType, body: bytes) -> Any:  # the SDK's httpx(2).Response: its module is found at run time
    """A 200 response of the SDK's HTTP library carrying ``body`` as server-sent events."""
    request = http.Request("POST", BASE_URL)
    return http.Response(200, headers={"content-type": "text/event-stream"}, content=body, request=request)


def arguments_json(owner: str, arguments: Mapping[str, object]) -> str:
    """Tool arguments as the wire carries them: a JSON object in a string. ``owner`` names the builder call."""
    if not isinstance(arguments, Mapping):
        raise TypeError(f"{owner}: the arguments must be a mapping of names to JSON values, not {type(arguments).__name__}")
    try:
        return json.dumps(dict(arguments))
    except (TypeError, ValueError) as error:
        raise ValueError(f"{owner}: the arguments are not JSON: {error}") from error


def stable_id(prefix: str, *parts: str) -> str:
    """An id like the API's (``call_…``, ``toolu_…``), the same for the same call, so that equal builds compare equal."""
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return f"{prefix}{digest[:24]}"


def check_counts(owner: str, **counts: int) -> None:
    """Token counts are whole numbers, zero or more."""
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{owner}: {name} must be a whole number of tokens, zero or more, not {value!r}")
