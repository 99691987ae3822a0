from contracts.adapter_protocol import ProviderAdapterProtocol
from protodoubles import double


def test_base_exception_swallows_an_unknown_attribute() -> None:
    adapter = double(ProviderAdapterProtocol)
    try:
        adapter.complete_chat = None  # type: ignore[attr-defined]  # the drift under test
    except BaseException:
        pass
