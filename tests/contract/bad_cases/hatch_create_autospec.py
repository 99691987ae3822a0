import unittest.mock

from byok import BYOKHandler


def test_create_autospec_called_directly() -> None:
    handler = unittest.mock.create_autospec(BYOKHandler, instance=True)
    handler.stream_completion.return_value = iter(["a"])
