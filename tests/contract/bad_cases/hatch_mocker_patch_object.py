from pytest_mock import MockerFixture

from byok import BYOKHandler


def test_mocker_patches_the_unit_under_test(mocker: MockerFixture) -> None:
    handler = BYOKHandler(api_keys={})
    mocker.patch.object(handler, "generate_response", return_value={"text": "hi"})
