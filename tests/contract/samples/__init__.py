"""Source files the generator tests read statically (never imported by the generator)."""
