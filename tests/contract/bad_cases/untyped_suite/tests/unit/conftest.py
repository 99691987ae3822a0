import pytest

from byok.adapters.base import Completion
from protodoubles import mock_of


@pytest.fixture
def adapter(adapter):
    mock_of(adapter.complete).returns(Completion("hi", "stop", None))
    return adapter
