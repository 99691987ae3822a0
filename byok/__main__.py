"""``python -m byok``: the command line."""

from byok.cli import main

raise SystemExit(main())
