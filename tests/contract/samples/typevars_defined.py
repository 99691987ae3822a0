"""Where the type variable that tests/contract/samples/typevars.py re-exports is defined."""

from __future__ import annotations

from typing import TypeVar

D = TypeVar("D")
