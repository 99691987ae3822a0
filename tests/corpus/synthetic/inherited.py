"""Classes whose interface comes mostly from stdlib bases (``collections.abc.Mapping``, ``dict``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping


class Headers(Mapping[str, str]):
    """A case-insensitive, read-only header map: the abstract methods here, the rest from Mapping."""

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = {key.lower(): value for key, value in raw.items()}

    def __getitem__(self, key: str) -> str:
        return self._raw[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class Registry(dict[str, int]):
    """A dict of counters with one method of its own."""

    def bump(self, key: str) -> int:
        self[key] = self.get(key, 0) + 1
        return self[key]
