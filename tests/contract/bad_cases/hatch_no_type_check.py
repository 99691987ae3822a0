from typing import no_type_check

from contracts.byok_protocol import BYOKProtocol


@no_type_check
async def test_no_type_check(handler: BYOKProtocol) -> None:
    await handler.complete_chat([{"role": "user", "content": "hi"}])
