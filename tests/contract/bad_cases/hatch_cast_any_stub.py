from typing import Any, cast

from contracts.adapter_protocol import ProviderAdapterProtocol
from protodoubles import double


def test_cast_to_any_bypasses_mock_of() -> None:
    adapter = double(ProviderAdapterProtocol)
    cast(Any, adapter).complete.return_value = {"text": "hi"}
