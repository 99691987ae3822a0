"""A class whose annotations use two different types both named Reading."""

from __future__ import annotations

from tests.contract.samples.other import Legacy
from tests.contract.samples.values import Reading


class Converter(Legacy):
    """Turns readings into "legacy" ones"""

    def convert(self, reading: Reading) -> Reading:
        return reading
