"""A spec'd stand-in for the handler via the mock module's namespace."""

from __future__ import annotations

import unittest.mock as um

from byok import BYOKHandler


def test_spec_stand_in() -> None:
    factory = um.__dict__["create_autospec"]
    handler = factory(BYOKHandler, instance=True)
    handler.get_routing_info.return_value = {"provider": "openai"}
    assert handler.get_routing_info("hi")["provider"] == "openai"
