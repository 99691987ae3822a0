"""Deliberately bad samples that contract tests feed to a gate; excluded from ruff, mypy's file list and
pytest collection."""
