"""Type variables that tests/contract/samples/first_contact.py imports, as pymongo imports its own."""

from __future__ import annotations

from typing import TypeVar

D = TypeVar("D")
