"""Attributes assigned from parameters the code narrowed first."""

from __future__ import annotations


class Connection:
    def __init__(self, host: str, ssl: bool | None = None, retries: int | None = None, port: int | str = 80) -> None:
        if ssl is None:
            ssl = host != "localhost"
        self.ssl = ssl
        self.retries = retries if retries is not None else 3
        if isinstance(port, str):
            port = int(port)
        self.port = port
        self.host = host
