from collections.abc import Callable
from typing import ClassVar

class Limiter:
    rate: float
    on_limit: Callable[[int, str], None]
    factory: ClassVar[Callable[[], dict[str, int]]]  # pyright binds it as a method, and has no self for it
    def __init__(self, rate: float) -> None: ...
    def acquire(self, tokens: int = 1) -> bool: ...
