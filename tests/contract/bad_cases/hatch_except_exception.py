from byok.adapters.base import ChatRequest
from contracts.adapter_protocol import ProviderAdapterProtocol
from protodoubles import double


async def test_except_exception_swallows_the_double_error() -> None:
    adapter = double(ProviderAdapterProtocol)
    try:
        await adapter.complete(ChatRequest("m", ({"role": "user", "content": "hi"},)))
    except Exception:
        pass
