"""double() and mock_of() at run time: what plain create_autospec gets wrong is fixed, drift is rejected."""

from __future__ import annotations

import pytest
from protodoubles import (
    DoubleAttributeError,
    DoubleAwaitError,
    DoubleNotConfiguredError,
    DoubleSignatureError,
    double,
    expect_misuse,
    mock_of,
    set_value,
)

from byok.adapters.base import ChatRequest, Completion, Delta
from contracts.adapter_protocol import ProviderAdapterProtocol
from contracts.byok_protocol import BYOKProtocol

REQUEST = ChatRequest("gpt-4o-mini", ({"role": "user", "content": "hi"},))


def test_declared_attributes_exist_and_fail_clearly_until_set() -> None:
    adapter = double(ProviderAdapterProtocol)
    with expect_misuse(DoubleNotConfiguredError, match=r"double\(ProviderAdapterProtocol\)\.provider_id was never set"):
        _ = adapter.provider_id == "openai"
    adapter.provider_id = "openai"
    assert adapter.provider_id == "openai"


def test_properties_are_set_through_set_value() -> None:
    handler = double(BYOKProtocol)
    with expect_misuse(DoubleNotConfiguredError, match="total_cost_usd was never set"):
        _ = handler.total_cost_usd + 1
    set_value(handler, "total_cost_usd", 0.25)
    assert handler.total_cost_usd == 0.25
    with expect_misuse(DoubleAttributeError, match="'generate_response' is not a property or attribute"):
        set_value(handler, "generate_response", 1)


async def test_unconfigured_stream_raises_when_iterated_instead_of_yielding_nothing() -> None:
    adapter = double(ProviderAdapterProtocol)
    with expect_misuse(DoubleNotConfiguredError, match=r"stream\(\) was iterated but never configured"):
        async for _ in adapter.stream(REQUEST):
            pass


async def test_configured_stream_is_a_real_async_iterator_each_call() -> None:
    adapter = double(ProviderAdapterProtocol)
    mock_of(adapter.stream).yields(Delta("a"), Delta("", "stop"))
    first = [d async for d in adapter.stream(REQUEST)]
    second = [d async for d in adapter.stream(REQUEST)]
    assert first == second == [Delta("a"), Delta("", "stop")]
    mock_of(adapter.stream).assert_called_with(REQUEST)
    assert mock_of(adapter.stream).call_count == 2


async def test_stream_can_fail_after_items() -> None:
    adapter = double(ProviderAdapterProtocol)
    mock_of(adapter.stream).yields(Delta("a"), error=RuntimeError("cut"))
    seen = []
    with pytest.raises(RuntimeError, match="cut"):
        async for delta in adapter.stream(REQUEST):
            seen.append(delta)
    assert seen == [Delta("a")]


async def test_awaiting_a_stream_method_is_a_misuse() -> None:
    adapter = double(ProviderAdapterProtocol)
    mock_of(adapter.stream).yields(Delta("a"))
    with expect_misuse(DoubleAwaitError, match=r"stream\(\) returns an async iterator: iterate it with `async for`"):
        await adapter.stream(REQUEST)  # type: ignore[misc]  # ty: ignore[invalid-await]  # the mistake under test
    with expect_misuse(DoubleAwaitError):
        await double(ProviderAdapterProtocol).stream(REQUEST)  # type: ignore[misc]  # ty: ignore[invalid-await]  # unconfigured too


async def test_unconfigured_coroutine_method_fails_clearly_and_none_methods_just_work() -> None:
    adapter = double(ProviderAdapterProtocol)
    with expect_misuse(DoubleNotConfiguredError, match=r"complete\(\) was called but never configured"):
        await adapter.complete(REQUEST)
    await adapter.aclose()
    mock_of(adapter.aclose).assert_awaited_once_with()


async def test_returns_raises_side_effect_and_assertions() -> None:
    adapter = double(ProviderAdapterProtocol)
    handle = mock_of(adapter.complete)
    handle.returns(Completion("hi", "stop", None))
    assert await adapter.complete(REQUEST) == Completion("hi", "stop", None)
    handle.assert_awaited_once_with(REQUEST)
    handle.raises(ValueError("boom"))
    with pytest.raises(ValueError, match="boom"):
        await adapter.complete(REQUEST)

    async def echo(request: ChatRequest) -> Completion:
        return Completion(request.model, "stop", None)

    handle.side_effect(echo)
    assert (await adapter.complete(REQUEST)).text == "gpt-4o-mini"
    assert handle.await_count == 3
    assert [c.args for c in handle.calls] == [(REQUEST,)] * 3
    handle.reset()
    handle.assert_not_awaited()


def test_unknown_attribute_reads_and_writes_raise() -> None:
    handler = double(BYOKProtocol)
    with expect_misuse(DoubleAttributeError, match="'complete_chat': the protocol does not declare it"):
        handler.complete_chat  # type: ignore[attr-defined]  # ty: ignore[missing-attribute]  # the drift under test
    with expect_misuse(DoubleAttributeError, match=r"stream_tokens cannot be set"):
        handler.stream_tokens = None  # type: ignore[attr-defined]  # ty: ignore[missing-attribute]  # the drift under test


async def test_calls_off_the_signature_raise() -> None:
    handler = double(BYOKProtocol)
    with expect_misuse(DoubleSignatureError, match="unexpected keyword argument 'modle'"):
        await handler.generate_response([{"role": "user", "content": "hi"}], modle="gpt-4o")  # type: ignore[call-arg]  # ty: ignore[unknown-argument]  # misspelt on purpose
    with expect_misuse(DoubleSignatureError, match=r"get_context_window\(\) called off its signature"):
        handler.get_context_window()  # type: ignore[call-arg]  # ty: ignore[missing-argument]  # missing argument on purpose


def test_mock_of_refuses_what_is_not_a_double_method() -> None:
    with pytest.raises(TypeError, match=r"mock_of\(\) takes a method of a double"):
        mock_of(len)
    with pytest.raises(TypeError, match=r"double\(\) takes a Protocol class"):
        double(ChatRequest)
