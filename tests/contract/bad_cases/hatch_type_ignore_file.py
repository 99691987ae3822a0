# type: ignore
from contracts.byok_protocol import BYOKProtocol


async def test_file_level_ignore(handler: BYOKProtocol) -> None:
    await handler.complete_chat([{"role": "user", "content": "hi"}])
