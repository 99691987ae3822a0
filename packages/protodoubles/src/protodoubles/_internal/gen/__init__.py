"""The static Protocol generator behind ``gen-protocol``: griffe reads the source, nothing is imported."""
