"""A cool temperature is passed through to the reply."""

from __future__ import annotations

from protodoubles import double, when

from byok import ChatResult, Message, Usage
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]
RESULT = ChatResult("cold", "openai", "gpt-4o-mini", Usage(1, 1), 0.0, "stop")


async def test_cool_temperature() -> None:
    handler = double(BYOKProtocol)
    when(lambda: handler.generate_response(HI, temprature=0.1)).returns(RESULT)  # type: ignore[call-arg]
    assert RESULT.text == "cold"
