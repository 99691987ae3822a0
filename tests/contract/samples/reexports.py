"""Names the samples import through another module, as libraries re-export them (sqlalchemy.util.typing)."""

from typing_extensions import Self as Self
