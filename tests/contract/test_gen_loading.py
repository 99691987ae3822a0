"""Which file the generator reads for a module (protodoubles._internal.gen.load.loading.ModuleLoader.locate): the one a type
checker reads, found from each search folder's listing."""

from __future__ import annotations

import sys
from pathlib import Path

from protodoubles._internal.gen.load.loading import ModuleLoader


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
