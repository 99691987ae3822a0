import asyncio

from byok.adapters.base import ChatRequest
from contracts.adapter_protocol import ProviderAdapterProtocol
from protodoubles import double


async def test_gather_swallows_the_double_error() -> None:
    adapter = double(ProviderAdapterProtocol)
    request = ChatRequest("m", ({"role": "user", "content": "hi"},))
    await asyncio.gather(adapter.complete(request), return_exceptions=True)
