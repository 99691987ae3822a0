"""An SDK as code under test reaches it through its module (``import sdk_module``, then
``sdk_module.Client(...)``), with the class exported under two names as SDKs do."""

from __future__ import annotations


class Client:
    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.timeout = 10.0

    def send(self, text: str, *, retries: int = 0) -> str:
        return f"sent {text}"


DefaultClient = Client
