"""A suite written the way most teams write one: no annotations, fixtures from conftest files."""
import pytest

from byok import Message
from protodoubles import mock_of

HELLO: list[Message] = [{"role": "user", "content": "hi"}]


class TestChat:
    @pytest.fixture
    def prompt(self):
        return "hi"

    async def test_reply(self, handler, adapter):
        result = await handler.generate_response(HELLO)
        assert result.text == "hi"
        assert mock_of(adapter.complete).await_count == 1

    async def test_invented_method(self, handler):
        await handler.complete_chat(HELLO)  # PLANTED

    async def test_awaited_stream(self, handler):
        await handler.stream_completion(HELLO)  # PLANTED

    async def test_misspelt_keyword(self, handler):
        await handler.generate_response(HELLO, modle="gpt-4o")  # PLANTED

    def test_prompt(self, prompt, tmp_path, monkeypatch):
        monkeypatch.setenv("PROMPT", prompt)
        (tmp_path / "prompt.txt").write_text(prompt)


async def test_invented_stream(opened):
    async for token in opened.stream_tokens(HELLO):  # PLANTED
        print(token)


def test_attribute_written_on_the_real_handler(real_handler):
    real_handler.async_clients = {}  # PLANTED


def test_misspelt_assertion_keyword(raw_adapter, capsys, caplog, request):
    mock_of(raw_adapter.complete).assert_awaited_once_with(requst=None)  # PLANTED
    print(request.node.name, capsys, caplog)


def test_settings(settings):
    assert settings["timeout"] == 5
