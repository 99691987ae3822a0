"""The class the package exports lazily."""

from __future__ import annotations


class Worker:
    def run(self, job: str) -> int:
        return len(job)
