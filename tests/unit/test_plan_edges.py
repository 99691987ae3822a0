"""The plan's output cap against the models' windows at its exact edge, a model off the catalog (whose window
is unknown, so never refused on it), and what an attempt that got no answer is charged."""

from __future__ import annotations

import pytest
from protodoubles import mock_of

from byok import AllProvidersFailedError, BYOKHandler, InvalidRequestError, Message
from byok.errors import ProviderError
from tests.unit.conftest import Adapters, HandlerMaker, replies

HI: list[Message] = [{"role": "user", "content": "hi"}]
DEEPSEEK_WINDOW = 64_000  # deepseek-chat and deepseek-reasoner, the provider's only models


async def test_an_output_cap_equal_to_the_largest_window_is_refused(make_handler: HandlerMaker) -> None:
    only = make_handler("deepseek")
    with pytest.raises(InvalidRequestError, match="max_tokens=64000 does not fit the context window"):
        await only.generate_response(HI, max_tokens=DEEPSEEK_WINDOW)
    with pytest.raises(InvalidRequestError, match="max_tokens=64000 does not fit the context window"):
        await only.generate_response(HI, model="deepseek-chat", max_tokens=DEEPSEEK_WINDOW)
    assert only.total_cost_usd == 0


async def test_a_model_off_the_catalog_is_not_refused_on_a_window_it_does_not_state(adapters: Adapters) -> None:
    replies(adapters["openai"], "fine")
    handler = BYOKHandler(api_keys={}, clients={"openai": adapters["openai"]})
    result = await handler.generate_response(HI, model="my-finetune", provider_id="openai", max_tokens=2_000_000)
    assert (result.text, result.model) == ("fine", "my-finetune")


@pytest.mark.parametrize("status", [None, 500], ids=["not sent", "server error"])
async def test_a_failed_attempt_that_never_reached_the_provider_charges_nothing_to_anyone(status: int | None, adapters: Adapters) -> None:
    mock_of(adapters["openai"].complete).raises(ProviderError("openai", "refused", status=status, retryable=True, reached=False))
    handler = BYOKHandler(api_keys={}, clients={"openai": adapters["openai"]}, budget_usd=1.0)
    with pytest.raises(AllProvidersFailedError, match="refused"):
        await handler.generate_response(HI, model="gpt-4o")
    assert handler.costs_by_provider() == {}
    assert handler.budget.reserved_usd == 0
