"""A module of a PEP 420 namespace package (``nsroot`` has no ``__init__.py``): its classes are found."""

from __future__ import annotations


class Leaf:
    def name(self) -> str:
        return "leaf"
