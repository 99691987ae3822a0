"""A class whose annotations use two different types both named Reading, with Final members."""

from __future__ import annotations

from typing import Final

from tests.contract.samples.other import Legacy
from tests.contract.samples.values import Reading


class Converter(Legacy):
    """Turns readings into "legacy" ones"""

    limit: Final[int] = 10

    def __init__(self) -> None:
        self.created: Final = "now"

    def convert(self, reading: Reading) -> Reading:
        return reading


PlatformConverter = Converter  # a name for a class, as platform-specific modules often export
