"""The handler reports its spending as a number."""

from __future__ import annotations

from unittest.mock import PropertyMock

import pytest

from byok import BYOKHandler


def test_spending_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(BYOKHandler, "total_cost_usd", PropertyMock(return_value="0.00 USD"))
    handler = BYOKHandler(api_keys={})
    assert handler.total_cost_usd == "0.00 USD"
