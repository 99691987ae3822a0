"""Model: what the checkers make of a class: its bases with their type arguments, member kinds, variance and self types."""
