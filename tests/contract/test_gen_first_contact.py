"""Regression tests for the generator defects of issue 18 (classes nobody here had seen), each on a small
class of tests/contract/samples/first_contact.py: what the protocol says, what it reports, and that mypy
--strict and basedpyright accept each class where its protocol is expected."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.contract.conftest import ROOT, GenRunner, MypyRunner

FIRST = "tests/contract/samples/first_contact.py"
MODULE = "tests.contract.samples.first_contact"

# (class, type arguments, lines the protocol must hold, text it must not)
CASES: list[tuple[str, str, list[str], list[str]]] = [
    ("Store", "[int]", ["D = TypeVar('D')\n", "    def shelf(self) -> Shelf[D]: ..."], ["covariant"]),
    ("Events", "[int]", ["E_co = TypeVar('E_co', covariant=True)", "-> TypeForm[E_co]: ..."], ["_inv"]),
    ("Lines", "[str]", ["AnyStr_co = TypeVar('AnyStr_co', str, bytes, covariant=True)", "    def readline(self) -> AnyStr_co: ..."], []),
    (
        "Stubbed",
        "",
        ["    limit: ClassVar[float | int]", "    def kinds(self, *choices: type[Any] | types.UnionType | tuple[Any, ...]) -> bool: ..."],
        ["_typeshed", "_ClassInfo", "FloatInt"],
    ),
    ("Failures", "", ["_ExceptionT = TypeVar('_ExceptionT', bound=Exception)"], ["import _ExceptionT", "builtins import"]),
    (
        "Overlapping",
        "",
        [
            "-> bytes: ...  # pyright: ignore[reportOverlappingOverload]",
            "    def get_data(self, as_text: Literal[True] = ...) -> str: ...\n",
            "    def load(self, value: None) -> None: ...  # pyright: ignore[reportOverlappingOverload]",
            "    def load(self, value: Any) -> int: ...\n",
            "    def read(self, names: Iterable[str]) -> list[str]: ...  # pyright: ignore[reportOverlappingOverload]",
            "    def read(self, names: Iterable[str | bytes]) -> list[str | bytes]: ...\n",
        ],
        [],
    ),
    ("Awaited", "", ["    @property\n    def address(self) -> Coroutine[Any, Any, tuple[str, int] | None]: ..."], []),
    ("Writer", "", ["    def write(self, op: Shelf[Any] | int) -> None: ..."], ["_Op"]),
    ("Guarded", "", ["    @property\n    def only(self) -> tuple[str, ...] | None | list[str]: ..."], ["only: "]),
    ("Blueprint", "", ["    @property\n    def cli(self) -> Group: ..."], ["AppGroup", "cli: "]),
    # its get_data needs as_text to return str: no overlap to acknowledge
    ("Body", "", ["    def get_size(self) -> int: ..."], ["def size", "def data", "def vary", "pyright: ignore"]),
    ("Opener", "", ["    def open(self, name: str) -> list[Any]: ...", "    def route(self, rule: str) -> Callable[[R], R]: ..."], []),
    (
        "Decorated",
        "",
        ["    def cursor(self, name: str) -> Result[int]: ...", "    def cwd(self) -> Awaitable[str]: ..."],
        ["async def", "contextlib"],
    ),
    ("Monitor", "", ["    def ping(self) -> bool: ..."], ["master", "SyncClient"]),
    ("Rows", "[int, str]", ["class RowsProtocol(Protocol[Unpack[Ts]]):", "    def first(self) -> Any: ..."], ["-> R"]),
    ("Moment", "", ["    from datetime import date as date_2", "    def date(self) -> date_2: ..."], ["-> date:"]),
]


@pytest.mark.parametrize(("cls", "args", "present", "absent"), CASES, ids=[c[0] for c in CASES])
def test_protocol_text(cls: str, args: str, present: list[str], absent: list[str], gen: GenRunner) -> None:
    run = gen(f"{FIRST}:{cls}")
    assert run.code == 0, run.err
    body = run.out.split('"""', 2)[-1]  # the imports and the class, not the header that names the target
    for line in present:
        assert line in run.out
    for text in absent:
        assert text not in body


@pytest.mark.parametrize(
    ("target", "said"),
    [
        (f"{FIRST}:Body", "size: property() called in the class body, which pyright reads without a getter; left out"),
        (f"{FIRST}:Opener", "open: a type variable of its own in its return type only; written as Any"),
        ("tests.contract.samples.stubbed:Limiter", "factory: a ClassVar Callable, which pyright binds as a method; left out"),
        (f"{FIRST}:Monitor", "master: every overload is for a self type the class is not; left out"),
    ],
)
def test_a_weakened_member_is_said(target: str, said: str, gen: GenRunner) -> None:
    run = gen(target)
    assert f"warning: {target}: {said}" in run.err
    assert said.split(":", 1)[0] in run.err.rsplit("weakened:", 1)[-1]  # and counted in the contract-strength line


def test_a_library_overlap_ignore_is_not_unused_for_mypy(gen: GenRunner) -> None:
    run = gen("tests/contract/samples/heldout.py:Finder")
    assert "# type: ignore[overload-overlap, unused-ignore]  # pyright: ignore[reportOverlappingOverload]" in run.out


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case's protocol and an acceptance check, in one folder (written once for the module)."""
    from protodoubles._internal.gen.cli import main

    folder = tmp_path_factory.mktemp("first_contact")
    lines: list[str] = []
    for index, (cls, args, _, _) in enumerate(CASES):
        assert main([f"{FIRST}:{cls}", "-o", str(folder / f"p{index}.py"), "--name", f"{cls}Protocol"]) == 0
        lines += [f"from {MODULE} import {cls} as Real{index}", f"from p{index} import {cls}Protocol as Proto{index}"]
        lines += [f"def accept{index}(x: Real{index}{args}) -> Proto{index}{args}:", "    return x", ""]
    (folder / "accept.py").write_text("\n".join(lines) + "\n")
    return folder


def test_every_protocol_passes_mypy_strict_and_accepts_its_class(generated: Path, mypy: MypyRunner) -> None:
    code, report = mypy(*sorted(generated.glob("*.py")))
    assert code == 0, report


def test_basedpyright_passes_every_protocol_and_accepts_every_class(generated: Path) -> None:
    pyright = Path(sys.executable).parent / "basedpyright"
    if not pyright.is_file():
        pytest.fail("basedpyright is not installed: `make install` installs the corpus extra")
    (generated / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "standard", "extraPaths": [str(ROOT)]}))
    files = sorted(p.name for p in generated.glob("*.py"))
    run = subprocess.run(
        [str(pyright), "--pythonpath", sys.executable, *files], cwd=generated, capture_output=True, text=True, timeout=300, check=False
    )
    assert "0 errors" in run.stdout, run.stdout[-3000:]
