"""12: a package that exports its class through a module __getattr__."""

from __future__ import annotations


def __getattr__(name: str) -> object:
    if name == "Worker":
        from .impl import Worker

        return Worker
    raise AttributeError(name)
