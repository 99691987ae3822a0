"""The static Protocol generator behind ``tools/gen_protocol.py``: griffe reads the source, nothing is imported."""
