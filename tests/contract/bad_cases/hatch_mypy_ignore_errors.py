# mypy: ignore-errors
from contracts.byok_protocol import BYOKProtocol


async def test_inline_ignore_errors(handler: BYOKProtocol) -> None:
    await handler.complete_chat([{"role": "user", "content": "hi"}])
