"""A package that exports its classes lazily through a module ``__getattr__``, like ``concurrent.futures``."""

from __future__ import annotations

__all__ = ["WorkerPool"]


def __getattr__(name: str) -> object:
    if name == "WorkerPool":
        from tests.corpus.synthetic.lazy_exports.pool import WorkerPool

        return WorkerPool
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
