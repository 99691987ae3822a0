"""Code under test that probes a double for an attribute the protocol does not declare gets the real
class's answer; a test that reads or writes one is drift, and fails even when it catches the error."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import types
from typing import Protocol

import pytest
import wrapper_code
from generated_greeter import GreeterProtocol
from protodoubles import DoubleAttributeError, DoubleTypeError, double, expect_misuse, mock_of, set_value
from protodoubles._internal.doubles.misuse import recorded
from wrapper_code import Client, Sender


@pytest.mark.parametrize("probe", [wrapper_code.has_batching, wrapper_code.batch_sender, wrapper_code.batch_sender_or_none])
def test_code_under_test_probing_gets_the_real_class_s_answer(probe: object) -> None:
    assert callable(probe)
    real, fake = probe(Client("k")), probe(double(Sender))
    assert real == fake
    assert fake in (False, None)
    assert recorded() == []


def test_a_direct_read_in_code_under_test_is_the_real_class_s_attribute_error() -> None:
    client = double(Sender)
    with pytest.raises(AttributeError, match=r"double\(Sender\) has no attribute 'send_batch'") as raised:
        wrapper_code.read_batch(client)
    assert type(raised.value) is AttributeError
    assert raised.value.name == "send_batch"
    assert raised.value.obj is client
    assert recorded() == []


def test_a_test_that_reads_an_undeclared_attribute_is_recorded_even_when_it_catches_the_error() -> None:
    client = double(Sender)
    with contextlib.suppress(BaseException):
        client.send_batch  # type: ignore[attr-defined]  # the drift under test
    with contextlib.suppress(BaseException):
        hasattr(client, "send_batch")  # a probe written in a test file is drift too
    assert [type(error) for error in recorded()] == [DoubleAttributeError, DoubleAttributeError]
    for error in recorded():
        with expect_misuse(DoubleAttributeError, match="'send_batch': the protocol does not declare it"):
            raise error


def test_writing_an_undeclared_attribute_is_a_misuse_wherever_it_is_written() -> None:
    client = double(Sender)
    with expect_misuse(DoubleAttributeError, match=r"double\(Sender\)\.retry_count cannot be set"):
        client.retry_count = 3  # type: ignore[attr-defined]  # the drift under test
    client.timeout = 1.0  # declared: fine
    assert client.timeout == 1.0


def test_private_names_are_answered_plainly_everywhere_as_libraries_probe_them() -> None:
    client = double(Sender)
    assert not hasattr(client, "_pytest_fixture")
    assert getattr(client, "__wrapped__", None) is None
    assert recorded() == []


class Mixed(Protocol):
    def ask(self, question: str, *, model: str) -> str: ...
    async def fetch(self, key: str) -> int: ...


def test_methods_look_like_the_real_bound_methods_to_code_that_inspects_them() -> None:
    mixed = double(Mixed)
    assert inspect.iscoroutinefunction(mixed.fetch)
    assert asyncio.iscoroutinefunction(mixed.fetch)
    assert not inspect.iscoroutinefunction(mixed.ask)
    assert inspect.signature(mixed.ask) == inspect.signature(Mixed.ask).replace(
        parameters=list(inspect.signature(Mixed.ask).parameters.values())[1:]
    )
    assert list(inspect.signature(mixed.fetch).parameters) == ["key"]
    assert mixed.fetch.__name__ == "fetch"
    assert mixed.ask is mixed.ask


def test_a_near_miss_of_a_declared_name_in_code_under_test_is_drift_even_when_swallowed() -> None:
    client = double(Sender)
    with contextlib.suppress(BaseException):
        wrapper_code.send_or_none(client)
    assert [str(error) for error in recorded()] == ["double(Sender) has no attribute 'sned': the protocol declares 'send'"]
    with expect_misuse(DoubleAttributeError, match="declares 'send'"):
        raise recorded()[0]


class InventedGreeter(GreeterProtocol, Protocol):
    def wave(self) -> None: ...


class NarrowedGreeter(GreeterProtocol, Protocol):
    pass


def test_a_protocol_written_on_top_of_a_generated_one_may_not_invent_members() -> None:
    with expect_misuse(DoubleTypeError, match=r"double\(InventedGreeter\): it extends the generated GreeterProtocol with wave"):
        double(InventedGreeter)
    assert mock_of(double(NarrowedGreeter).greet).call_count == 0  # adding nothing is fine
    assert mock_of(double(GreeterProtocol).greet).call_count == 0


def test_a_method_replaced_on_a_double_must_take_the_protocol_s_calls() -> None:
    client = double(Sender)

    def old_send(self: object, prompt: str) -> str:  # the old signature: the parameter was renamed since
        return prompt

    with expect_misuse(DoubleTypeError, match=r"double\(Sender\)\.send\(\) replaced by .*: it has no parameter 'text'"):
        client.send = types.MethodType(old_send, client)  # type: ignore[method-assign]  # ty: ignore[invalid-assignment]  # the drift under test

    def send(text: str, *, retries: int = 0) -> str:
        return text

    client.send = send  # type: ignore[method-assign]  # ty: ignore[invalid-assignment]  # a replacement that fits is kept
    assert client.send("hi") == "hi"


def test_set_value_of_an_undeclared_name_is_a_misuse() -> None:
    with expect_misuse(DoubleAttributeError, match="'max_retries' is not a property or attribute"):
        set_value(double(Sender), "max_retries", 3)
