"""griffe for one run of the generator, loaded name by name.

griffe's package ``__init__`` imports the whole library: loaders, git support, the API diff, the inspector,
docstring parsers, JSON encoders. The generator reads modules with ``griffe.visit`` and walks the models and
expressions it gives, a part that loads in about two thirds of the time. ``install`` puts griffe's package in
``sys.modules`` without running its ``__init__``; each attribute loads on first use:

- a name of ``DEFINED_IN`` comes from the module of griffe's that defines it, the object that the public
  ``griffe.<name>`` is (tests/contract/test_gen_lazy_griffe.py checks each one against the installed griffe);
- any other name (``griffe.GriffeLoader``, ``griffe.find_breaking_changes``, ``griffe.__all__``) runs the
  package's own ``__init__`` into that module, which from then on is griffe as ``import griffe`` gives it.

Until a docstring is parsed, griffe's docstring parsers stay unloaded too (see ``_defer_parsers``).

Only the ``gen-protocol`` process installs it (``gen/process.py``), before anything imports griffe; where
griffe is imported already, ``install`` does nothing. Code keeps writing ``import griffe`` and ``griffe.Class``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

# The module of griffe's that defines each name the generator reads while it renders a protocol.
DEFINED_IN = {
    "griffe._internal.models": "Alias Attribute Class Decorator Function Module Object Parameter",
    "griffe._internal.expressions": "Expr ExprAttribute ExprBinOp ExprCall ExprKeyword ExprList ExprName ExprSubscript ExprTuple "
    "safe_get_annotation",
    "griffe._internal.enumerations": "Kind ParameterKind",
    "griffe._internal.exceptions": "AliasResolutionError CyclicAliasError NameResolutionError",
    "griffe._internal.collections": "LinesCollection ModulesCollection",
    "griffe._internal.extensions.base": "Extension Extensions load_extensions",
    "griffe._internal.agents.visitor": "visit",
    "griffe._internal.agents.nodes.runtime": "ObjectNode",
    "griffe._internal.logger": "logger",
}
_WHERE = {name: module for module, names in DEFINED_IN.items() for name in names.split()}


def install() -> None:
    """Put griffe in ``sys.modules``, to load name by name; nothing when it is imported already or is not
    installed (``import griffe`` then does what it always does)."""
    if "griffe" in sys.modules:
        return
    spec = importlib.util.find_spec("griffe")
    if spec is None or spec.loader is None:
        return
    init = spec.loader
    package = importlib.util.module_from_spec(spec)
    namespace = vars(package)

    def whole() -> ModuleType:
        """Run the package's ``__init__`` into it, once: it imports and binds every public name."""
        if namespace.get("__getattr__") is attribute:
            _parsers()
            del namespace["__getattr__"], namespace["__dir__"]  # the package's own names decide from here on
            init.exec_module(package)
        return package

    def attribute(name: str) -> object:
        """``griffe.<name>`` on first use: from the module that defines it, else from the whole package."""
        where = _WHERE.get(name)
        try:
            value = getattr(importlib.import_module(where) if where else whole(), name)
        except (ImportError, AttributeError):
            if where is None:
                raise
            value = getattr(whole(), name)  # a release of griffe that moved it: the package knows where
        namespace[name] = value
        return value

    namespace["__getattr__"] = attribute
    namespace["__dir__"] = lambda: list(vars(whole()))
    sys.modules["griffe"] = package
    _defer_parsers()


# griffe's docstring parsers: its models module imports three names from here, and the four parsers' modules
# (google, numpy, sphinx, auto, with their regular expressions) cost about 14 ms, a twentieth of a run that
# never parses a docstring. Until a docstring is parsed the models module holds the stand-in's names.
PARSERS = "griffe._internal.docstrings.parsers"
_BOUND_IN_MODELS = ("DocstringOptions", "DocstringStyle", "parse")


def _defer_parsers() -> None:
    """Put a stand-in for griffe's docstring parsers in ``sys.modules``: its ``parse`` and any other name
    load the real module (see ``_parsers``); ``DocstringStyle`` and ``DocstringOptions``, which griffe's
    models use in annotations only, are ``Any`` until then."""
    stand_in = ModuleType(PARSERS)

    def parse(*args: Any, **kwargs: Any) -> Any:
        return _parsers().parse(*args, **kwargs)

    def rest(name: str) -> object:
        if name.startswith("__"):  # the import system asks for __path__ and the like: a plain module has none
            raise AttributeError(name)
        return getattr(_parsers(), name)

    vars(stand_in).update(DocstringOptions=Any, DocstringStyle=Any, parse=parse, __getattr__=rest)
    sys.modules[PARSERS] = stand_in


def _parsers() -> ModuleType:
    """The real docstring parsers, loaded now if only the stand-in is there; griffe's models module then
    gets the real names, as if it had imported them itself."""
    found = sys.modules.get(PARSERS)
    if found is not None and "__getattr__" not in vars(found):
        return found
    sys.modules.pop(PARSERS, None)
    real = importlib.import_module(PARSERS)
    models = sys.modules.get("griffe._internal.models")
    if models is not None:
        vars(models).update({name: getattr(real, name) for name in _BOUND_IN_MODELS})
    return real
