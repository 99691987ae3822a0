import pytest

from byok.adapters.base import ChatRequest
from contracts.adapter_protocol import ProviderAdapterProtocol
from protodoubles import double


async def test_a_broad_raises_swallows_the_double_error() -> None:
    adapter = double(ProviderAdapterProtocol)
    with pytest.raises(Exception):
        await adapter.complete(ChatRequest("m", ({"role": "user", "content": "hi"},)))
