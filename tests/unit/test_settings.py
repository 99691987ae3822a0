"""Settings are checked when the handler is built, and bad input is refused before anything is sent,
without counting against any provider."""

from __future__ import annotations

import math
import re

import pytest
from protodoubles import mock_of

from byok import BYOKHandler, InvalidRequestError, Message
from byok.budget import Budget
from contracts.byok_protocol import BYOKProtocol
from tests.unit.conftest import Adapters, HandlerMaker, replies

BAD_SETTINGS: list[tuple[dict[str, object], str]] = [
    ({"budget_usd": math.nan}, "budget_usd must be a finite number, got nan"),
    ({"budget_usd": math.inf}, "budget_usd must be a finite number, got inf"),
    ({"budget_usd": -1}, "budget_usd must be >= 0, got -1"),
    ({"budget_usd": "5"}, "budget_usd must be a finite number, got '5'"),
    ({"budget_usd": True}, "budget_usd must be a finite number, got True"),
    ({"timeout_s": math.nan}, "timeout_s must be a finite number, got nan"),
    ({"timeout_s": 0}, "timeout_s must be > 0, got 0"),
    ({"timeout_s": -2.5}, "timeout_s must be > 0, got -2.5"),
    ({"timeout_s": math.inf}, "timeout_s must be a finite number"),
    ({"idle_timeout_s": 0.0}, "idle_timeout_s must be > 0"),
    ({"idle_timeout_s": math.nan}, "idle_timeout_s must be a finite number"),
    ({"max_response_bytes": 0}, "max_response_bytes must be an int >= 1, got 0"),
    ({"max_response_bytes": 1.5}, "max_response_bytes must be an int >= 1, got 1.5"),
    ({"failure_threshold": 0}, "failure_threshold must be an int >= 1, got 0"),
    ({"cooldown_s": -1}, "cooldown_s must be >= 0, got -1"),
    ({"cooldown_s": math.nan}, "cooldown_s must be a finite number"),
    ({"api_keys": {"openai": 12345}}, "api_keys['openai'] must be a str, got int"),
    ({"api_keys": {"nosuch": "k"}}, "unknown provider(s) in api_keys: ['nosuch']"),
    ({"api_keys": {"openai": "k"}, "base_urls": {"openai": "http://[::1"}}, "base URL of 'openai' is not a valid URL"),
    ({"api_keys": {"openai": "k"}, "base_urls": {"openai": "ftp://host/v1"}}, "must be an http:// or https:// URL"),
    ({"api_keys": {"openai": "k"}, "base_urls": {"openai": "localhost:8080"}}, "must be an http:// or https:// URL"),
    ({"api_keys": {"openai": "k"}, "base_urls": {"openai": "http://host:port/v1"}}, "is not a valid URL"),
    ({"api_keys": {"openai": "k"}, "base_urls": {"openai": "http://ho st/v1"}}, "whitespace or control characters"),
]


@pytest.mark.parametrize(("settings", "says"), BAD_SETTINGS, ids=[s[1][:40] for s in BAD_SETTINGS])
def test_bad_settings_raise_at_construction(settings: dict[str, object], says: str) -> None:
    options = {"api_keys": {}, **settings}
    with pytest.raises(InvalidRequestError, match=re.escape(says)):
        BYOKHandler(**options)  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # deliberately ill-typed settings: refused at run time


def test_a_bad_base_url_from_the_environment_raises_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_BASE_URL", "http://[::1")
    with pytest.raises(InvalidRequestError, match="base URL of 'deepseek'"):
        BYOKHandler(api_keys={"deepseek": "sk-deepseek-0123456789"})
    BYOKHandler(api_keys={"openai": "sk-openai-0123456789"})  # only configured providers are checked


def test_a_url_with_credentials_is_never_repeated() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        BYOKHandler(api_keys={"openai": "k"}, base_urls={"openai": "ftp://user:hunter2@host/"})
    assert "hunter2" not in str(caught.value)


def test_good_settings_are_kept() -> None:
    handler = BYOKHandler(api_keys={"openai": " sk-x "}, timeout_s=3, idle_timeout_s=1.5, max_response_bytes=10, cooldown_s=0)
    assert (handler.timeout_s, handler.idle_timeout_s, handler.max_response_bytes) == (3.0, 1.5, 10)
    assert handler.get_available_providers() == ["openai"]
    assert BYOKHandler(api_keys={}).idle_timeout_s is None
    assert Budget(0).limit_usd == 0.0 and Budget(None).limit_usd is None


UNSENDABLE: list[tuple[list[Message], str]] = [
    (
        [{"role": "user", "content": "bad \udcff byte"}],
        "messages[0].content cannot be encoded as UTF-8: surrogates not allowed at character 4",
    ),
    ([{"role": "system", "content": "rules"}, {"role": "user", "content": "\ud800"}], "messages[1].content cannot be encoded"),
    ([{"role": "user", "content": ""}], "messages[0].content is empty: a user message needs text"),
    ([{"role": "user", "content": " \n\t"}], "messages[0].content is empty"),
    ([{"role": "user", "content": "a"}, {"role": "assistant", "content": ""}], "messages[1].content is empty: a assistant"),
]


@pytest.mark.parametrize(("messages", "says"), UNSENDABLE, ids=[u[1][:40] for u in UNSENDABLE])
async def test_unsendable_prompts_are_bad_input_and_leave_provider_health_alone(
    messages: list[Message], says: str, handler: BYOKProtocol, adapters: Adapters
) -> None:
    before = handler.get_ranked_providers()
    for _ in range(5):  # more than the failure threshold
        with pytest.raises(InvalidRequestError, match=re.escape(says)):
            await handler.generate_response(messages)
        with pytest.raises(InvalidRequestError, match=re.escape(says)):
            _ = [c async for c in handler.stream_completion(messages)]
    assert handler.get_ranked_providers() == before
    for made in adapters.values():
        mock_of(made.complete).assert_not_awaited()
        mock_of(made.stream).assert_not_called()


async def test_an_unencodable_stop_sequence_is_bad_input(handler: BYOKProtocol) -> None:
    with pytest.raises(InvalidRequestError, match=r"stop sequence .* cannot be encoded"):
        await handler.generate_response([{"role": "user", "content": "hi"}], stop=["\udc80"])


async def test_an_empty_system_message_is_allowed(handler: BYOKProtocol, adapters: Adapters) -> None:
    replies(adapters["openai"], "ok")
    result = await handler.generate_response([{"role": "system", "content": ""}, {"role": "user", "content": "hi"}])
    assert result.text == "ok"


async def test_off_catalog_model_with_a_budget_is_refused(make_handler: HandlerMaker) -> None:
    handler = make_handler("openai", budget_usd=1.0)
    with pytest.raises(InvalidRequestError, match="off the catalog, so it has no price"):
        await handler.generate_response([{"role": "user", "content": "hi"}], model="my-finetune", provider_id="openai")
