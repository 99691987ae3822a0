"""Issue 19, money: a request that reached the provider and then timed out or was cancelled, usage the
provider did not report for text in any script, and settings and options out of every sane range."""

from __future__ import annotations

import asyncio
import math

import pytest

from byok import BYOKHandler, InvalidRequestError, Message, StreamInterruptedError
from byok.errors import BYOKError
from tests.integration.conftest import KEYS, HandlerFactory
from tests.integration.test_cli_e2e import byok, openai_env
from tests.loopback import LoopbackServer, Reply

MODEL = "gpt-4.1-nano"
CJK = "中文字符测试。" * 300  # 2,100 characters, one or two tokens each for any tokenizer


def input_cost(handler: BYOKHandler, model: str, prompt: str) -> float:
    """The least the provider may bill for a prompt it has read: a token per four characters of English,
    as the loopback server counts them."""
    return handler.catalog.require(model).cost_usd(math.ceil(len(prompt) / 4), 0)


async def test_requests_that_time_out_after_the_provider_read_them_are_charged(
    server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    prompt = "word " * 9_000  # 45 KB of English
    server.script("openai", *[Reply(delay_s=1.0)] * 30)  # reads the body, answers after the deadline
    handler = make_handler("openai", budget_usd=0.05, timeout_s=0.3)
    refused = 0
    for _ in range(30):
        try:
            await handler.generate_response([{"role": "user", "content": prompt}], model=MODEL)
        except BYOKError as exc:
            refused += type(exc).__name__ == "BudgetExceededError"
    reached = len(server.requests("openai"))
    spent_at_least = reached * input_cost(handler, MODEL, prompt)
    assert spent_at_least <= 0.05  # the budget bounds what was spent, not only what was recorded
    assert handler.total_cost_usd >= spent_at_least
    assert refused > 0


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_a_request_cancelled_after_the_provider_read_it_is_charged(
    stream: bool, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    prompt = "word " * 2_000
    server.script("openai", Reply(delay_s=2.0))
    handler = make_handler("openai", budget_usd=1.0)

    async def ask() -> None:
        if stream:
            async for _ in handler.stream_completion([{"role": "user", "content": prompt}], model=MODEL):
                pass
        else:
            await handler.generate_response([{"role": "user", "content": prompt}], model=MODEL)

    task = asyncio.create_task(ask())
    while not server.requests("openai"):
        await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert handler.total_cost_usd >= input_cost(handler, MODEL, prompt)
    assert handler.budget.reserved_usd == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("provider_id", ["openai", "anthropic"])
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_unreported_usage_of_cjk_text_is_charged_at_least_a_token_per_character(
    provider_id: str, stream: bool, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    server.script(provider_id, Reply(text=CJK, usage_raw=None))
    handler = make_handler(provider_id)
    ask: list[Message] = [{"role": "user", "content": CJK}]
    if stream:
        chunks = [c async for c in handler.stream_completion(ask)]
        usage = chunks[-1].usage
    else:
        usage = (await handler.generate_response(ask)).usage
    assert usage is not None
    assert usage.input_tokens >= len(CJK) and usage.output_tokens >= len(CJK), usage


async def test_a_stream_that_times_out_mid_way_is_charged_a_token_per_character_it_delivered(
    server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    reply = "中文字符测试 " * 40
    server.script("openai", Reply(text=reply, usage_raw=None, stall_after_chunks=20, trickle_for_s=3.0))
    handler = make_handler("openai", timeout_s=0.8)
    delivered = ""
    with pytest.raises(StreamInterruptedError):
        async for chunk in handler.stream_completion([{"role": "user", "content": CJK}], model=MODEL):
            delivered += chunk.text
    assert len(delivered) == 20 * 7
    floor = handler.catalog.require(MODEL).cost_usd(len(CJK), len(delivered))
    assert handler.total_cost_usd >= floor


OUT_OF_RANGE: list[tuple[dict[str, float], str]] = [
    ({"budget_usd": 1e308}, "budget_usd"),
    ({"budget_usd": float("inf")}, "budget_usd"),
    ({"budget_usd": float("nan")}, "budget_usd"),
    ({"budget_usd": -0.01}, "budget_usd"),
    ({"timeout_s": 1e308}, "timeout_s"),
    ({"idle_timeout_s": 1e300}, "idle_timeout_s"),
    ({"max_response_bytes": 2**70}, "max_response_bytes"),
]


@pytest.mark.parametrize(("setting", "says"), OUT_OF_RANGE, ids=[f"{k}={v}" for (s, _) in OUT_OF_RANGE for k, v in s.items()])
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_an_out_of_range_setting_is_bad_input_before_anything_is_sent(
    setting: dict[str, float], says: str, stream: bool, server: LoopbackServer
) -> None:
    server.script("openai", Reply(gzip_inflated_bytes=1_000))
    with pytest.raises(InvalidRequestError, match=says):
        handler = BYOKHandler(api_keys={"openai": KEYS["openai"]}, base_urls={"openai": server.base_url("openai")}, **setting)  # type: ignore[arg-type]  # ty: ignore[invalid-argument-type]  # out-of-range values on purpose
        async with handler:
            if stream:
                async for _ in handler.stream_completion([{"role": "user", "content": "hi"}]):
                    pass
            else:
                await handler.generate_response([{"role": "user", "content": "hi"}])
    assert server.requests() == []


@pytest.mark.parametrize("max_tokens", [2_000_000, 10**12])
async def test_max_tokens_beyond_every_window_is_bad_input_before_anything_is_sent(
    max_tokens: int, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    handler = make_handler("openai", "anthropic")
    with pytest.raises(InvalidRequestError, match="max_tokens"):
        await handler.generate_response([{"role": "user", "content": "hi"}], max_tokens=max_tokens)
    with pytest.raises(InvalidRequestError, match="max_tokens"):
        await handler.generate_response([{"role": "user", "content": "hi"}], max_tokens=max_tokens, model=MODEL)
    assert server.requests() == []


@pytest.mark.parametrize(
    "args",
    [("--budget-usd", "1e308"), ("--budget-usd", "inf"), ("--max-tokens", "2000000")],
    ids=["budget 1e308", "budget inf", "max tokens 2M"],
)
def test_the_cli_says_an_out_of_range_option_in_one_line_with_exit_2(args: tuple[str, str], server: LoopbackServer) -> None:
    done = byok("chat", "hi", *args, env=openai_env(server))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("byok: error: ") and done.stderr.count("\n") == 1
    assert args[0][2:].replace("-", "_") in done.stderr
    assert server.requests() == []
