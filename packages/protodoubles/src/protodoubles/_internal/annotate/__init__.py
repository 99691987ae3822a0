"""annotate-fixtures: a codemod that types test fixture parameters, so mypy checks what tests do."""
