"""The static Protocol generator behind ``gen-protocol``: griffe reads the source, nothing is imported.

A ``gen-protocol`` run is a short process, and its start-up is most of its time: records that are
created at import and never change are NamedTuples, as a frozen dataclass costs a millisecond to create
(it compiles six methods); dataclasses are kept for what the public API exposes and what a run mutates.
"""
