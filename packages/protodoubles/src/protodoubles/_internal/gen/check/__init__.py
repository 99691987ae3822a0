"""Check: a protocol on disk against what its source gives now: drift lines, and records of what is known fresh."""
