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


MODULE_HEADER = '''"""A synthetic client module for benchmarks: many classes in one file, using the SDKs' types."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from anthropic import AsyncAnthropic
from openai import AsyncOpenAI
'''

CLASS_HEADER = '''

class {name}:
    """Class {name} of the module."""

    openai: AsyncOpenAI
    anthropic: AsyncAnthropic

    def __init__(self, size: int, http: httpx.AsyncClient) -> None:
        self.size = size
        self.http = http
'''


def synthetic_module(classes: int, methods: int) -> str:
    """``classes`` classes of ``methods`` methods each, in one module; the first class is ``Synthetic``."""
    parts = [MODULE_HEADER]
    for index in range(classes):
        parts.append(CLASS_HEADER.format(name="Synthetic" if index == 0 else f"Synthetic{index}"))
        parts += [METHOD_KINDS[i % len(METHOD_KINDS)].format(i=i) for i in range(methods)]
    return "".join(parts)


def write_module(folder: Path, classes: int, methods: int) -> Path:
    path = folder / f"synthetic_module_{classes}x{methods}.py"
    path.write_text(synthetic_module(classes, methods), encoding="utf-8")
    return path
