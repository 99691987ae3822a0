"""The public API is exactly what ``protodoubles.__all__`` lists, defined once under ``_internal`` and
exported from one place; a name added, removed or exported twice fails here."""

from __future__ import annotations

import ast
import importlib.metadata
import pkgutil
import subprocess
import sys
from pathlib import Path

import protodoubles

PUBLIC = {
    # doubles
    "double", "mock_of", "when", "set_value", "expect_misuse", "Call", "Handle", "AsyncHandle", "StreamHandle", "Stub",
    "ANY", "Raise", "inject", "Injected",
    # run-time conformance
    "assert_conforms", "conformance_problems",
    # the generator as functions
    "generate", "check", "Options", "Generated", "StaleProtocol", "CheckResult",
    # errors
    "DoubleMisuseError", "DoubleAttributeError", "DoubleSignatureError", "DoubleTypeError", "DoubleAwaitError", "DoubleNotConfiguredError",
    "ConformanceError", "GenerationError", "SourceError", "ConfigError",
    "__version__",
}  # fmt: skip
PACKAGE = Path(protodoubles.__file__).parent
# Public modules besides the facade: the SDK builders, each behind its extra ([openai], [anthropic]).
PUBLIC_MODULES = ["protodoubles.builders", "protodoubles.builders.anthropic", "protodoubles.builders.openai"]


def test_the_public_names_are_exactly_these() -> None:
    assert len(protodoubles.__all__) == len(set(protodoubles.__all__)), "a name is listed twice"
    assert set(protodoubles.__all__) == PUBLIC


def test_every_public_name_is_importable_and_defined_under_internal() -> None:
    for name in PUBLIC - {"__version__"}:
        value = getattr(protodoubles, name)
        assert value.__module__.startswith("protodoubles._internal."), (name, value.__module__)


def test_the_facade_binds_no_other_public_name() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    nodes = [*tree.body, *(inner for node in tree.body if isinstance(node, ast.If) for inner in node.body)]  # and the lazy ones
    bound = {alias.asname or alias.name for node in nodes if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert bound - {"annotations"} == PUBLIC


def test_no_module_but_the_facade_and_the_builders_is_public() -> None:
    public = [
        module.name
        for module in pkgutil.walk_packages([str(PACKAGE)], prefix="protodoubles.")
        if not any(part.startswith("_") for part in module.name.split(".")[1:])
    ]
    assert sorted(public) == PUBLIC_MODULES


def test_importing_the_facade_imports_no_sdk() -> None:
    """The SDKs are optional extras: ``import protodoubles`` (and the builders package itself) loads neither."""
    script = "import sys, protodoubles, protodoubles.builders\nprint(sorted({'openai', 'anthropic'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "[]"


def test_internal_modules_do_not_re_export_the_facade() -> None:
    """A name reachable as ``protodoubles._internal.x.name`` is fine; one listed in a second ``__all__`` of a
    module outside ``_internal`` is not (there is none: the check above), and no internal module imports the facade."""
    for path in (PACKAGE / "_internal").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.module != "protodoubles", f"{path} imports the facade"
            if isinstance(node, ast.Import):
                assert all(alias.name != "protodoubles" for alias in node.names), f"{path} imports the facade"


def test_the_version_is_the_distribution_s() -> None:
    assert protodoubles.__version__ == importlib.metadata.version("protodoubles")


def test_the_tool_never_imports_the_project_built_on_it() -> None:
    tool = PACKAGE.parent.parent  # packages/protodoubles
    for path in [*tool.joinpath("src").rglob("*.py"), *tool.joinpath("tests").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert name.split(".")[0] not in {"byok", "contracts"}, f"{path} imports {name}"


def test_every_internal_module_imports_in_a_fresh_interpreter() -> None:
    """Each module imports first thing in a new interpreter: no cycle that only an import order hides."""
    names = [m.name for m in pkgutil.walk_packages([str(PACKAGE / "_internal")], prefix="protodoubles._internal.")]
    assert len(names) > 40
    script = "import importlib, subprocess, sys\nfor name in sys.argv[1:]:\n    subprocess.run([sys.executable, '-c', f'import {name}'], check=True)"
    subprocess.run([sys.executable, "-c", script, *names], check=True, timeout=300)
