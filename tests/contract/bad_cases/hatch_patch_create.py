from unittest.mock import AsyncMock, patch


def test_patch_creates_a_missing_method() -> None:
    with patch("byok.handler.BYOKHandler.complete_chat", create=True, new_callable=AsyncMock):
        pass
