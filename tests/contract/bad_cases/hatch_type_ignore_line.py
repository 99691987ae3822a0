from contracts.byok_protocol import BYOKProtocol


async def test_blanket_ignore_on_the_drifted_line(handler: BYOKProtocol) -> None:
    await handler.complete_chat([{"role": "user", "content": "hi"}])  # type: ignore
