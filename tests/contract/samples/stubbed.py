"""11: an unannotated module with a .pyi stub beside it; checkers read the stub."""


class Limiter:
    def __init__(self, rate):  # type: ignore[no-untyped-def]  # the .pyi beside this file has the types
        self.rate = rate
        self.on_limit = print

    def acquire(self, tokens=1):  # type: ignore[no-untyped-def]  # the .pyi beside this file has the types
        return True
