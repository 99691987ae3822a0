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

import typing as _typing

from protodoubles._internal.errors import ConfigError, GenerationError, SourceError
from protodoubles._internal.version import __version__

if _typing.TYPE_CHECKING:  # the names below load lazily at run time (see __getattr__)
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

# Each name is imported when first used: `gen-protocol`, which runs under this package, loads none of the
# doubles (unittest.mock and the rest are a third of its start-up otherwise).
_LAZY = {
    "protodoubles._internal.api": "CheckResult Generated Options StaleProtocol check generate",
    "protodoubles._internal.conformance": "ConformanceError assert_conforms conformance_problems",
    "protodoubles._internal.doubles.deep": "Stub when",
    "protodoubles._internal.doubles.double": "ANY AsyncHandle Call Handle Raise StreamHandle double mock_of set_value",
    "protodoubles._internal.doubles.inject": "Injected inject",
    "protodoubles._internal.doubles.misuse": "DoubleAttributeError DoubleAwaitError DoubleMisuseError DoubleNotConfiguredError "
    "DoubleSignatureError DoubleTypeError expect_misuse",
}
_WHERE = {name: module for module, names in _LAZY.items() for name in names.split()}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'protodoubles' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
