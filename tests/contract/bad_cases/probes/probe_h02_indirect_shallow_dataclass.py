"""The CLI prints whatever result the handler returns (handler doubled; results from the indirect fixture)."""

from __future__ import annotations

import pytest
from protodoubles import double, mock_of

from byok import ChatResult, Message
from contracts.byok_protocol import BYOKProtocol

HI: list[Message] = [{"role": "user", "content": "hi"}]


@pytest.fixture
def stubbed(request: pytest.FixtureRequest) -> BYOKProtocol:
    handler = double(BYOKProtocol)
    mock_of(handler.generate_response).returns(ChatResult(*request.param))
    return handler


@pytest.mark.parametrize(
    "stubbed",
    [("hi", "openai", "gpt-4o-mini", {"input_tokens": 3, "output_tokens": 2}, "0.0001", "stop")],
    indirect=True,
)
async def test_reply_text(stubbed: BYOKProtocol) -> None:
    result = await stubbed.generate_response(HI)
    assert result.text == "hi"
