"""The handler's parts on their own: catalog, context fitting, health, budget, key handling."""

from __future__ import annotations

import pytest

from byok import BudgetExceededError, InvalidRequestError, Message
from byok.budget import Budget
from byok.catalog import ModelCatalog
from byok.health import HealthTracker
from byok.providers import PROVIDERS, keys_from_env, mask_key, redact
from byok.routing import fit_messages, truncate_text
from contracts.byok_protocol import BYOKProtocol


def test_catalog_rejects_malformed_data() -> None:
    with pytest.raises(ValueError, match="malformed model catalog"):
        ModelCatalog.from_json({"models": [{"model": "x", "provider": "openai"}]})
    row = {"model": "x", "provider": "openai", "input": 1, "output": 2, "context": 10, "tier": 1}
    with pytest.raises(ValueError, match="listed twice"):
        ModelCatalog.from_json({"models": [row, row]})


def test_every_catalog_model_has_a_known_provider_and_sane_numbers() -> None:
    for info in ModelCatalog.default():
        assert info.provider_id in PROVIDERS
        assert 0 < info.input_usd_per_mtok <= info.output_usd_per_mtok
        assert info.context_window >= 8192 and info.tier in (1, 2, 3)


def test_context_window_truncation_and_cheapest_models(handler: BYOKProtocol) -> None:
    assert handler.get_context_window("gpt-4o") == 128_000
    with pytest.raises(InvalidRequestError, match="unknown model 'gpt-99'"):
        handler.get_context_window("gpt-99")
    text = "a" * 100 + "z" * 600_000
    cut = handler.truncate_to_context(text, "gpt-4o", reserve_tokens=1000)
    assert cut == "z" * (127_000 * 4)  # the newest part, sized to the window less the reserve
    assert handler.truncate_to_context("short", "gpt-4o") == "short"
    cheapest = handler.get_cheapest_models(limit=3)
    assert [m.model for m in cheapest] == ["gpt-4.1-nano", "gpt-4o-mini", "deepseek-chat"]


def test_fit_messages_keeps_system_and_the_newest_message() -> None:
    messages: list[Message] = [
        {"role": "system", "content": "s" * 40},
        {"role": "user", "content": "u" * 400},
        {"role": "assistant", "content": "a" * 400},
        {"role": "user", "content": "n" * 400},
    ]
    assert fit_messages(messages, 10_000) == messages
    fitted = fit_messages(messages, 130)
    assert [m["role"] for m in fitted] == ["system", "user"]
    assert fitted[-1]["content"] == "n" * 400
    shortened = fit_messages(messages, 60)
    assert shortened[-1]["content"] == "n" * ((60 - 14 - 4) * 4)
    with pytest.raises(InvalidRequestError, match="system messages alone"):
        fit_messages(messages, 5)
    assert truncate_text("abc", 0) == ""


def test_a_demoted_provider_returns_after_its_cooldown() -> None:
    now = [100.0]
    health = HealthTracker(threshold=2, cooldown_s=30, clock=lambda: now[0])
    health.record_failure("openai")
    assert health.order(["openai", "deepseek"]) == ["openai", "deepseek"]
    health.record_failure("openai")
    assert health.order(["openai", "deepseek"]) == ["deepseek", "openai"]
    now[0] += 31
    assert health.order(["openai", "deepseek"]) == ["openai", "deepseek"]
    health.record_success("openai")
    assert not health.is_demoted("openai")


def test_budget_reservations_and_settlement() -> None:
    budget = Budget(1.0)
    first = budget.reserve(0.6)
    with pytest.raises(BudgetExceededError, match="already spent or reserved"):
        budget.reserve(0.5)
    budget.settle(first, "openai", 0.2)  # the real cost was lower than the estimate
    assert budget.spent_usd == pytest.approx(0.2)
    assert budget.reserved_usd == 0.0
    budget.reserve(0.5)
    with pytest.raises(ValueError, match="budget_usd must be >= 0"):
        Budget(-1)


def test_keys_from_env_masking_and_redaction() -> None:
    env = {"OPENAI_API_KEY": " sk-a ", "GOOGLE_API_KEY": "g-key", "MISTRAL_API_KEY": ""}
    assert keys_from_env(env) == {"openai": "sk-a", "gemini": "g-key"}
    assert mask_key("sk-live-0123456789abcdef") == "********cdef"
    assert mask_key("short") == "*****"
    leaked = "bad key sk-proj-ABCDEF123456 and custom-secret-value"
    assert redact(leaked, ("custom-secret-value",)) == "bad key [redacted] and [redacted]"
