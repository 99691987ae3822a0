#!/usr/bin/env python3
"""Generate typing.Protocol classes from real classes, statically; ``--check`` reports drift.

Run ``python tools/gen_protocol.py --help`` for targets, options and exit codes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "packages" / "protodoubles" / "src"))  # the tool from this checkout

from protodoubles._internal.gen.process import run  # the path above must be set first

if __name__ == "__main__":
    run()
