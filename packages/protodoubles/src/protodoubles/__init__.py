"""protodoubles: typed test doubles from generated protocols, so that a test cannot drift from the class it stands in for.

- ``gen-protocol`` (and :func:`generate`, :func:`check`) writes a ``typing.Protocol`` from a class, statically.
- :func:`double` gives an object a type checker sees as the protocol and that, at run time, refuses what
  the protocol does not allow; :func:`mock_of`, :func:`when` and :func:`set_value` configure it, and :func:`inject` hands it to code
  that builds its own object.
- :func:`assert_conforms` checks at run time that a class has the shape a protocol declares.
- ``annotate-fixtures`` types a suite's fixture parameters; the pytest plugin ``protodoubles`` fails a
  session on a stale protocol and a test on a misused double.

Everything importable from here is the public API; ``protodoubles._internal`` may change in any release.
"""

from __future__ import annotations

from protodoubles._internal.api import CheckResult, Generated, Options, StaleProtocol, check, generate
from protodoubles._internal.conformance import ConformanceError, assert_conforms, conformance_problems
from protodoubles._internal.doubles.deep import Stub, when
from protodoubles._internal.doubles.double import ANY, AsyncHandle, Call, Handle, Raise, StreamHandle, double, mock_of, set_value
from protodoubles._internal.doubles.inject import Injected, inject
from protodoubles._internal.doubles.misuse import (
    DoubleAttributeError,
    DoubleAwaitError,
    DoubleMisuseError,
    DoubleNotConfiguredError,
    DoubleSignatureError,
    DoubleTypeError,
    expect_misuse,
)
from protodoubles._internal.errors import ConfigError, GenerationError, SourceError
from protodoubles._internal.version import __version__

__all__ = [
    "ANY",
    "AsyncHandle",
    "Call",
    "CheckResult",
    "ConfigError",
    "ConformanceError",
    "DoubleAttributeError",
    "DoubleAwaitError",
    "DoubleMisuseError",
    "DoubleNotConfiguredError",
    "DoubleSignatureError",
    "DoubleTypeError",
    "Generated",
    "GenerationError",
    "Handle",
    "Injected",
    "Options",
    "Raise",
    "SourceError",
    "StaleProtocol",
    "StreamHandle",
    "Stub",
    "__version__",
    "assert_conforms",
    "check",
    "conformance_problems",
    "double",
    "expect_misuse",
    "generate",
    "inject",
    "mock_of",
    "set_value",
    "when",
]
