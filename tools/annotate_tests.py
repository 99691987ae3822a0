#!/usr/bin/env python3
"""Annotate every fixture parameter of a test suite with its fixture's type; ``--check`` lists what is missing.

Run ``python tools/annotate_tests.py --help`` for options and exit codes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "packages" / "protodoubles" / "src"))  # the tool from this checkout

from protodoubles._internal.annotate.cli import main  # the path above must be set first

if __name__ == "__main__":
    sys.exit(main())
