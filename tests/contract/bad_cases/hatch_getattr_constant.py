from contracts.byok_protocol import BYOKProtocol


async def test_getattr_with_a_constant_name(handler: BYOKProtocol) -> None:
    await getattr(handler, "complete_chat")([{"role": "user", "content": "hi"}])
