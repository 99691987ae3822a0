"""Properties whose setter accepts other types than the getter returns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class Timeout:
    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds


class Request:
    """The getters return normalised values; the setters accept what users write."""

    def __init__(self) -> None:
        self._headers: dict[str, str] = {}
        self._timeout = Timeout(5.0)
        self._auth: tuple[str, str] | None = None

    @property
    def headers(self) -> dict[str, str]:
        return self._headers

    @headers.setter
    def headers(self, headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> None:
        self._headers = dict(headers)

    @property
    def timeout(self) -> Timeout:
        return self._timeout

    @timeout.setter
    def timeout(self, seconds: float | None) -> None:
        self._timeout = Timeout(seconds)

    @property
    def auth(self) -> tuple[str, str] | None:
        return self._auth

    @auth.setter
    def auth(self, auth: tuple[str, str]) -> None:  # the getter may return None; the setter never takes it
        self._auth = auth
