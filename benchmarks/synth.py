"""Synthetic classes for the generator benchmarks: N annotated methods of every kind."""

from __future__ import annotations

from pathlib import Path

HEADER = '''"""A synthetic class for benchmarks."""

from __future__ import annotations

from collections.abc import AsyncIterator


class Synthetic:
    """A class with many members."""

    def __init__(self, size: int) -> None:
        self.size = size
'''

METHOD_KINDS = (
    '''
    def method_{i}(self, value: int, /, scale: float = 1.0, *, label: str | None = None) -> list[int]:
        """Method {i}."""
        result = [value] * int(scale)
        if label is not None:
            result.append(len(label))
        return result
''',
    '''
    async def fetch_{i}(self, key: str, *, retries: int = 3) -> dict[str, int]:
        """Fetch {i}."""
        attempts = 0
        while attempts < retries:
            attempts += 1
        return {{key: attempts}}
''',
    '''
    async def stream_{i}(self, count: int) -> AsyncIterator[str]:
        """Stream {i}."""
        for index in range(count):
            text = str(index)
            yield text
''',
    '''
    @property
    def value_{i}(self) -> int:
        """Property {i}."""
        total = self.size
        total += {i}
        return total
''',
)


def synthetic_source(methods: int) -> str:
    parts = [HEADER]
    parts += [METHOD_KINDS[i % len(METHOD_KINDS)].format(i=i) for i in range(methods)]
    return "".join(parts)


def write_synthetic(folder: Path, methods: int) -> Path:
    path = folder / f"synthetic_{methods}.py"
    path.write_text(synthetic_source(methods), encoding="utf-8")
    return path
