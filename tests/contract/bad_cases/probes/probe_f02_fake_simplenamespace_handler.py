"""The CLI's routing command prints the chosen provider."""

from __future__ import annotations

import io
from types import SimpleNamespace

from byok import cli


def test_route_prints_provider() -> None:
    handler = SimpleNamespace(route=lambda prompt, task_type=None: SimpleNamespace(provider_id="openai", model="gpt-4o-mini"))
    out = cli._Output(io.StringIO())
    assert cli._route(handler, "hi", None, out) == 0
