"""Load: the files a type checker reads for a module, its type-checker branches, answers read from module text, and the target class."""
