from collections.abc import Callable

class Limiter:
    rate: float
    on_limit: Callable[[int, str], None]
    def __init__(self, rate: float) -> None: ...
    def acquire(self, tokens: int = 1) -> bool: ...
