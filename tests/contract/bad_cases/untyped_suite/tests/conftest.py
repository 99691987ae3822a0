import pytest

from byok import BYOKHandler
from contracts.adapter_protocol import ProviderAdapterProtocol
from contracts.byok_protocol import BYOKProtocol
from protodoubles import double


def make_adapter(provider_id) -> ProviderAdapterProtocol:
    made = double(ProviderAdapterProtocol)
    made.provider_id = provider_id
    return made


@pytest.fixture
def adapter():
    return make_adapter("openai")


@pytest.fixture(name="raw_adapter")
def _raw_adapter_fixture():
    return double(ProviderAdapterProtocol)


@pytest.fixture
def handler(adapter) -> BYOKProtocol:
    return BYOKHandler(api_keys={}, clients={"openai": adapter})


@pytest.fixture
def real_handler(adapter):
    yield BYOKHandler(api_keys={}, clients={"openai": adapter})


@pytest.fixture
async def opened(handler):
    yield handler
    await handler.aclose()


@pytest.fixture
def settings():
    return load_settings()


def load_settings():
    return {"timeout": 5}
