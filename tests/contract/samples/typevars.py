"""Type variables that tests/contract/samples/first_contact.py imports, as pymongo imports its own: defined
in one module (typevars_defined.py) and re-exported from this one."""

from __future__ import annotations

from tests.contract.samples.typevars_defined import D as D

__all__ = ["D"]
