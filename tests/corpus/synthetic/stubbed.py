# Run-time implementation; the annotated interface lives in stubbed.pyi beside it, which type checkers read.


class RateLimiter:
    def __init__(self, rate, burst=1):
        self.rate = rate
        self.burst = burst
        self._tokens = burst

    def acquire(self, tokens=1):
        if tokens <= self._tokens:
            self._tokens -= tokens
            return True
        return False

    async def wait(self, tokens=1, *, timeout=None):
        return self.acquire(tokens)
