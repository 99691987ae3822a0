"""Benchmarks: ratios against a reference measured in the same run (`python benchmarks/run.py`)."""
