"""Typed test doubles: the double, its deep children, and the record of misuses the pytest plugin checks."""
