from contracts.byok_protocol import BYOKProtocol


def test_setattr_with_a_constant_name(handler: BYOKProtocol) -> None:
    setattr(handler, "async_clients", {})
