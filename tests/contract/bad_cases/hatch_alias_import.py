from unittest.mock import AsyncMock as AM


def test_an_aliased_async_mock() -> None:
    client = AM()
    client.complete_chat.return_value = "hi"
