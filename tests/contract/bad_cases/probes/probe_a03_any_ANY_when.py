"""Routing info is whatever the router says."""

from __future__ import annotations

from unittest.mock import ANY

from protodoubles import double, when

from contracts.byok_protocol import BYOKProtocol


def test_routing_info_passthrough() -> None:
    handler = double(BYOKProtocol)
    when(lambda: handler.get_routing_info(ANY)).returns(ANY)
    assert handler.get_routing_info("hi") == ANY
