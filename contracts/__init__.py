"""Generated protocols, typed test doubles and runtime conformance checks.

Importing this package loads nothing heavy: the generator (``contracts.gen``), the doubles and the
conformance check are imported from their own modules.
"""
