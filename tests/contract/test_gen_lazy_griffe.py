"""griffe loaded name by name in the gen-protocol process (protodoubles._internal.gen.lazy_griffe): each name the
table says comes from a module of griffe's is the public one, a run never loads the rest of griffe, and any
other name gives the whole package, as ``import griffe`` would."""

from __future__ import annotations

import json
import subprocess
import sys

import griffe
from protodoubles._internal.gen import lazy_griffe

from tests.contract.conftest import ROOT


def _in_a_fresh_process(code: str) -> dict[str, object]:
    prelude = "import json, sys\nfrom protodoubles._internal.gen import lazy_griffe\nlazy_griffe.install()\n"
    run = subprocess.run([sys.executable, "-c", prelude + code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    found: dict[str, object] = json.loads(run.stdout.splitlines()[-1])
    return found


def test_each_name_is_the_public_one() -> None:
    """Pins the table on the installed griffe: every name loads from the module the table names, without
    griffe's __init__, and is the object that __init__ then binds. A release that moves a name fails here (a
    run would still work, loading the whole package for that name)."""
    found = _in_a_fresh_process(
        "import griffe\n"
        "names = [name for names in lazy_griffe.DEFINED_IN.values() for name in names.split()]\n"
        "early = {name: getattr(griffe, name) for name in names}\n"
        "whole_early = 'griffe._internal.loader' in sys.modules\n"
        "public = set(griffe.__all__)\n"
        "print(json.dumps({'names': len(names), 'whole early': whole_early, 'not public': sorted(set(names) - public),\n"
        "  'other objects': [name for name in names if getattr(griffe, name) is not early[name]]}))\n"
    )
    names = sum(len(names.split()) for names in lazy_griffe.DEFINED_IN.values())
    assert found == {"names": names, "whole early": False, "not public": [], "other objects": []}


def test_a_run_loads_only_what_it_reads() -> None:
    found = _in_a_fresh_process(
        "from protodoubles._internal.gen.cli import main\n"
        "code = main(['tests/contract/samples/shapes.py:Sensor'])\n"
        "whole = [m for m in ('griffe._internal.loader', 'griffe._internal.diff', 'griffe._internal.git') if m in sys.modules]\n"
        "print(json.dumps({'code': code, 'whole': whole, 'load': 'load' in vars(sys.modules['griffe'])}))\n"
    )
    assert found == {"code": 0, "whole": [], "load": False}


def test_any_other_name_gives_the_whole_package() -> None:
    found = _in_a_fresh_process(
        "import griffe, importlib\n"
        "first = griffe.Class\n"
        "from griffe import GriffeLoader\n"
        "names = [n for n in griffe.__all__ if not hasattr(griffe, n)]\n"
        "print(json.dumps({'same': first is griffe.Class is importlib.import_module('griffe._internal.models').Class,\n"
        "  'loader': GriffeLoader is griffe._internal.loader.GriffeLoader, 'missing': names, 'dir': 'load' in dir(griffe),\n"
        "  'one module': sys.modules['griffe'] is griffe}))\n"
    )
    assert found == {"same": True, "loader": True, "missing": [], "dir": True, "one module": True}


def test_nothing_changes_where_griffe_is_imported_already() -> None:
    before = sys.modules["griffe"]
    lazy_griffe.install()
    assert sys.modules["griffe"] is before is griffe
    assert griffe.GriffeLoader.__module__ == "griffe._internal.loader"  # the whole package, as imported


def test_a_run_loads_no_docstring_parser_and_a_docstring_still_parses() -> None:
    """griffe's docstring parsers stay unloaded through a run (the stand-in of lazy_griffe._defer_parsers);
    a docstring parsed afterwards loads them, and griffe's models and package then hold the real names."""
    found = _in_a_fresh_process(
        "from protodoubles._internal.gen.cli import main\n"
        "code = main(['tests/contract/samples/shapes.py:Sensor'])\n"
        "parsers = [m for m in ('griffe._internal.docstrings.google', 'griffe._internal.docstrings.numpy') if m in sys.modules]\n"
        "import griffe\n"
        "sections = griffe.Docstring('Summary.\\n\\nArgs:\\n    x: The x.', parser='google').parsed\n"
        "models = sys.modules['griffe._internal.models']\n"
        "real = sys.modules['griffe._internal.docstrings.parsers']\n"
        "same = models.DocstringStyle is real.DocstringStyle and models.parse is real.parse\n"
        "public = griffe.DocstringStyle is real.DocstringStyle and griffe.parse is real.parse\n"
        "print(json.dumps({'code': code, 'loaded in the run': parsers, 'sections': [s.kind.value for s in sections],\n"
        "  'models': same, 'package': public}))\n"
    )
    assert found == {"code": 0, "loaded in the run": [], "sections": ["text", "parameters"], "models": True, "package": True}
