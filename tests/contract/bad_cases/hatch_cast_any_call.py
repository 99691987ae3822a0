from typing import Any, cast

from contracts.byok_protocol import BYOKProtocol


async def test_cast_to_any_hides_an_invented_method(handler: BYOKProtocol) -> None:
    await cast(Any, handler).complete_chat([{"role": "user", "content": "hi"}])
