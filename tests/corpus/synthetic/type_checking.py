"""Members whose type-checker view differs from their run-time definition (``if TYPE_CHECKING:``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from typing_extensions import Unpack


class RequestOptions(TypedDict, total=False):
    timeout: float
    headers: dict[str, str]


class Session:
    """Request methods are declared precisely for checkers and built generically at run time."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(self, method: str, url: str, **options: Unpack[RequestOptions]) -> bytes:
        return f"{method} {self.base_url}{url} {sorted(options)}".encode()

    if TYPE_CHECKING:

        def get(self, url: str, **options: Unpack[RequestOptions]) -> bytes: ...

        def delete(self, url: str, **options: Unpack[RequestOptions]) -> bytes: ...

    else:

        def get(self, url, **options):
            return self.request("GET", url, **options)

        def delete(self, url, **options):
            return self.request("DELETE", url, **options)


class Record:
    """Fields are declared; unknown attribute reads are answered only at run time, invisibly to checkers."""

    name: str
    size: int

    def __init__(self, name: str, size: int) -> None:
        self.name = name
        self.size = size

    if not TYPE_CHECKING:

        def __getattr__(self, item):
            raise AttributeError(f"{type(self).__name__!r} has no field {item!r}")
