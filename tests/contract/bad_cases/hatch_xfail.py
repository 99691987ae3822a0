import pytest

from byok.adapters.base import ChatRequest
from contracts.adapter_protocol import ProviderAdapterProtocol
from protodoubles import double


@pytest.mark.xfail(reason="flaky")
async def test_xfail_hides_a_misused_double() -> None:
    adapter = double(ProviderAdapterProtocol)
    async for _ in adapter.stream(ChatRequest("m", ({"role": "user", "content": "hi"},))):
        pass
