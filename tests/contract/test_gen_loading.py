"""Which file the generator reads for a module (protodoubles._internal.gen.load.loading.ModuleLoader.locate): the one a type
checker reads, found from each search folder's listing; and which modules it reads in part until a lookup needs
the rest (parent packages, the classes a focus cut)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import griffe
from protodoubles._internal.gen.load.loading import ModuleLoader

from tests.contract.conftest import GenRunner


def _tree(root: Path, files: list[str]) -> Path:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    return root


def test_stub_package_then_stub_beside_source_then_source(tmp_path: Path) -> None:
    first = _tree(tmp_path / "first", ["other/__init__.py", "plain.py"])
    second = _tree(tmp_path / "second", ["pkg/__init__.py", "pkg/mod.py", "pkg/mod.pyi", "pkg/side.py", "typed/__init__.py"])
    third = _tree(tmp_path / "third", ["typed-stubs/__init__.pyi", "typed-stubs/sub.pyi", "typed/sub.py"])
    loader = ModuleLoader([str(tmp_path / "missing"), str(first), str(second), str(third)])
    assert loader.locate("plain") == first / "plain.py"
    assert loader.locate("pkg") == second / "pkg" / "__init__.py"
    assert loader.locate("pkg.mod") == second / "pkg" / "mod.pyi"  # a .pyi beside the .py wins
    assert loader.locate("pkg.side") == second / "pkg" / "side.py"
    assert loader.locate("typed") == third / "typed-stubs" / "__init__.pyi"  # an installed -stubs package wins, wherever it is
    assert loader.locate("typed.sub") == third / "typed-stubs" / "sub.pyi"
    assert loader.locate("pkg.nothing") is None
    assert loader.locate("nothing") is None


def test_a_package_folder_wins_over_a_module_file_of_its_name(tmp_path: Path) -> None:
    folder = _tree(tmp_path, ["both/__init__.py", "both.py", "stubbed/__init__.py", "stubbed.pyi"])
    loader = ModuleLoader([str(folder)])
    assert loader.locate("both") == folder / "both" / "__init__.py"
    assert loader.locate("stubbed") == folder / "stubbed.pyi"  # any .pyi before any .py


def test_the_standard_library_is_read_from_typeshed(tmp_path: Path) -> None:
    shadow = _tree(tmp_path, ["asyncio/__init__.py", "asyncio/queues.py"])  # a search folder's copy loses
    loader = ModuleLoader([str(shadow), *sys.path])
    found = loader.locate("asyncio.queues")
    assert found is not None and found.suffix == ".pyi"
    assert found.parts[-4:] == ("typeshed", "stdlib", "asyncio", "queues.pyi")


def test_a_module_found_once_is_not_looked_for_again(tmp_path: Path) -> None:
    folder = _tree(tmp_path, ["late.py"])
    loader = ModuleLoader([str(folder)])
    assert loader.locate("late") == folder / "late.py"
    (folder / "late.pyi").write_text("", encoding="utf-8")
    assert loader.locate("late") == folder / "late.py"  # one run sees one tree
    assert ModuleLoader([str(folder)]).locate("late") == folder / "late.pyi"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_parent_package_is_read_when_one_of_its_own_names_is_looked_up(tmp_path: Path) -> None:
    """``pkg.sub`` asked for: ``pkg/__init__.py`` is an empty module until ``pkg.VALUE`` is looked up; then it
    is read, takes the empty module's place and keeps the submodule visited meanwhile."""
    folder = _write(tmp_path, {"pkg/__init__.py": "VALUE: int = 1\nfrom pkg.sub import Box as Box\n", "pkg/sub.py": "class Box: ...\n"})
    loader = ModuleLoader([str(folder)])
    sub = loader.module("pkg.sub")
    assert sub is not None
    assert [Path(p).name for p in loader.lines.keys()] == ["sub.py"]  # noqa: SIM118  # a LinesCollection is not iterable
    assert loader.loaded("pkg") is None
    value = loader.get("pkg.VALUE")
    package = loader.loaded("pkg")
    assert value is not None and value.path == "pkg.VALUE"
    assert package is not None and sorted(package.members) == ["Box", "VALUE", "sub"]
    assert package.members["sub"] is sub and sub.parent is package
    assert loader.get("pkg.sub.Box") is sub.members["Box"]


def test_a_package_asked_for_itself_is_read(tmp_path: Path) -> None:
    folder = _write(
        tmp_path, {"pkg/__init__.py": "VALUE: int = 1\n", "pkg/sub.py": "", "pkg/inner/__init__.py": "", "pkg/inner/leaf.py": ""}
    )
    loader = ModuleLoader([str(folder)])
    assert loader.module("pkg.inner.leaf") is not None
    package = loader.module("pkg")
    assert package is not None and "VALUE" in package.members and package.members["inner"].is_module


def test_a_name_of_a_submodule_never_resolves_through_its_package_s_exports(tmp_path: Path, gen: GenRunner) -> None:
    """``from pkg.funcs import list as list`` in the package: ``list[str]`` in ``pkg.sub`` is the builtin, as
    Python reads it (griffe resolves a name a module lacks in its package, when the package is read)."""
    folder = _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.funcs import list as list\n",
            "pkg/funcs.py": "def list(*names: str) -> str:\n    return ','.join(names)\n",
            "pkg/sub.py": "class Box:\n    def names(self) -> list[str]:\n        return []\n",
        },
    )
    ran = gen("pkg.sub:Box", cwd=folder)
    assert ran.code == 0, ran.err
    assert "def names(self) -> list[str]: ..." in ran.out
    assert "pkg.funcs" not in ran.out


def test_a_class_cut_by_the_focus_is_read_whole_when_one_of_its_members_is_looked_up(tmp_path: Path) -> None:
    """The target's module is visited with the other classes cut (a descriptor keeps its annotations and
    descriptor methods); looking up a member of a cut class by its path reads the module whole."""
    folder = _write(
        tmp_path,
        {
            "mod.py": "class Target:\n    def run(self) -> int: ...\n\n"
            "class Other:\n    size: int\n    def method(self) -> int: ...\n\n"
            "class Desc:\n    name: str\n    def __get__(self, obj: object, owner: type) -> int: ...\n    def helper(self) -> None: ...\n"
        },
    )
    loader = ModuleLoader([str(folder)])
    loader.focus_on("mod", "Target")
    module = loader.module("mod")
    assert module is not None
    other, descriptor = loader.get("mod.Other"), loader.get("mod.Desc")
    assert isinstance(other, griffe.Class) and not other.members
    assert isinstance(descriptor, griffe.Class) and sorted(descriptor.members) == ["__get__", "name"]
    method = loader.get("mod.Other.method")
    assert isinstance(method, griffe.Function) and method.path == "mod.Other.method"
    whole = loader.loaded("mod")
    assert whole is not None and whole is not module
    assert sorted(whole.members["Other"].members) == ["method", "size"]
    assert sorted(whole.members["Desc"].members) == ["__get__", "helper", "name"]


def test_a_base_class_in_a_module_read_for_another_base_has_its_members(tmp_path: Path, gen: GenRunner) -> None:
    """``class Target(First, Second)``, both bases in one module: the module is visited for ``First`` only
    (the other classes cut); reading ``Second`` as a base then reads the module whole."""
    folder = _write(
        tmp_path,
        {
            "bases.py": "class First:\n    def first(self) -> int: ...\n\nclass Second:\n    def second(self) -> str: ...\n",
            "target.py": "from bases import First, Second\n\nclass Target(First, Second):\n    def own(self) -> None: ...\n",
        },
    )
    ran = gen("target.py:Target", cwd=folder)
    assert ran.code == 0, ran.err
    for line in ("def own(self) -> None: ...", "def first(self) -> int: ...", "def second(self) -> str: ..."):
        assert line in ran.out


def test_the_public_names_of_typing_are_no_type_variables_but_anystr() -> None:
    """What model.bases.is_type_param takes without reading the stubs: in the typeshed the generator reads,
    the only public module-level TypeVar, ParamSpec or TypeVarTuple of those modules is typing.AnyStr."""
    from protodoubles._internal.gen.model.bases import PUBLIC_NAMES_NOT_TYPE_VARS

    loader = ModuleLoader(sys.path)
    found = []
    for module in sorted(PUBLIC_NAMES_NOT_TYPE_VARS):
        source = loader.text(module)
        assert source is not None, module
        declared = re.findall(
            r"^([A-Za-z]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*(?:\w+\.)?(?:TypeVar|ParamSpec|TypeVarTuple)\(", source[0], re.MULTILINE
        )
        found += [f"{module}.{name}" for name in declared]
    assert found == ["typing.AnyStr"]


def test_a_name_bound_by_wildcard_imports_is_followed_in_the_texts(tmp_path: Path) -> None:
    """``from ._config import *`` in a package ``__init__`` (httpx's): the one module whose ``__all__`` (or,
    without one, whose top level) binds the name is where it is defined; no module is visited to find out.
    When two modules export it, or an ``__all__`` is built up, the texts do not say."""
    folder = _write(
        tmp_path,
        {
            "pkg/__init__.py": "from ._api import *\nfrom ._config import *\nfrom ._plain import *\n",
            "pkg/_api.py": "__all__ = ['get']\ndef get() -> None: ...\nclass Timeout: ...\n",
            "pkg/_config.py": "__all__ = ['Timeout', 'Limits']\nclass Timeout: ...\nclass Limits: ...\n",
            "pkg/_plain.py": "class Plain: ...\nclass _Hidden: ...\nclass Limits: ...\n",
            "both/__init__.py": "from .one import *\nfrom .two import *\n",
            "both/one.py": "__all__ = ['Twice']\nclass Twice: ...\n",
            "both/two.py": "__all__ = ['Twice']\nclass Twice: ...\n",
            "grown/__init__.py": "from .parts import *\n",
            "grown/parts.py": "__all__ = ['A']\n__all__ += ['B']\n__all__ += _extra.names\nclass A: ...\nclass B: ...\nclass C: ...\n",
        },
    )
    loader = ModuleLoader([str(folder)])
    assert loader.text_path("pkg.Timeout") == "pkg._config.Timeout"  # _api defines one too, but does not export it
    assert loader.text_path("pkg.get") == "pkg._api.get"
    assert loader.text_path("pkg.Plain") == "pkg._plain.Plain"
    assert loader.text_path("pkg.Limits") == "pkg.Limits"  # _config and _plain both export it: unclear
    assert loader.text_path("pkg._Hidden") == "pkg._Hidden"
    assert loader.text_path("both.Twice") == "both.Twice"
    assert loader.text_path("grown.B") == "grown.parts.B"  # listed, if by `+=`
    assert loader.text_path("grown.C") == "grown.C"  # maybe in the names added
    assert loader.loaded("pkg") is None and not loader.lines.keys()  # a LinesCollection is not iterable
