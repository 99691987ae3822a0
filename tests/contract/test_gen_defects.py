"""Regression tests for the generator defects of issue 9, each on a small class of tests/contract/samples:
what the protocol says, and that mypy --strict and basedpyright accept each class where its protocol is
expected."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.contract.conftest import ROOT, GenRunner, MypyRunner, Run

DEFECTS = "tests/contract/samples/defects.py"
UNSEEN, UNSEEN_MODULE = "tests/contract/samples/unseen.py", "tests.contract.samples.unseen"
HELD, HELD_MODULE = "tests/contract/samples/heldout.py", "tests.contract.samples.heldout"

# (target, real class for the acceptance check, type arguments, lines the protocol must hold, text it must not)
CASES: list[tuple[str, str, str, list[str], list[str]]] = [
    (
        f"{DEFECTS}:Branches",
        "tests.contract.samples.defects:Branches",
        "",
        ["    def get(self, url: str, **options: Unpack[Options]) -> int: ...", "    def modern(self) -> str: ..."],
        ["__getattr__", "*args", "def modern(self) -> int"],
    ),
    (
        f"{DEFECTS}:Setters",
        "tests.contract.samples.defects:Setters",
        "",
        ["    @timeout.setter\n    def timeout(self, seconds: float | str | None) -> None: ..."],
        ["value: float"],
    ),
    (
        f"{DEFECTS}:AsyncCommands",
        "tests.contract.samples.defects:AsyncCommands",
        "",
        ["    def ping(self) -> Callable[[], bool]: ..."],
        ["-> bool: ...", "@overload"],
    ),
    (
        "tests/contract/samples/bare.py:Bare",
        "tests.contract.samples.bare:Bare",
        "",
        [
            "    handler: Callable[..., Any]",
            "    pairs: Dict[Any, Any]",
            "    queue: list[Any]",
            "    callback: Callable[..., Any]",
            "    def items(self) -> tuple[Any, ...]: ...",
            "    def stream(self) -> AsyncIterator[Any]: ...",
            "    def later(self) -> Awaitable[Any]: ...",
            "    def location(self, path: os.PathLike[Any]) -> None: ...",
        ],
        [],
    ),
    (
        f"{DEFECTS}:ForwardRefs",
        "tests.contract.samples.defects:ForwardRefs",
        "",
        ["    from os import PathLike", "    def open(self, path: Union[str, PathLike[str]]) -> list[ForwardRefs]: ..."],
        ["'PathLike", '"PathLike'],
    ),
    (
        f"{DEFECTS}:Narrowed",
        "tests.contract.samples.defects:Narrowed",
        "",
        ["    @property\n    def verbose(self) -> bool | None: ..."],
        ["verbose: bool"],
    ),
    (
        f"{DEFECTS}:Descriptors",
        "tests.contract.samples.defects:Descriptors",
        "",
        [
            "    @property\n    def events(self) -> Events | EventsDescriptor: ...",
            "    @property\n    def size(self) -> int | Lazy[int]: ...",
            "    @property\n    def name(self) -> str | cached_property[str]: ...",
            "    @property\n    def mode(self) -> Any: ...",
        ],
        ["def size(self) -> int: ...", "events: EventsDescriptor"],
    ),
    (
        f"{DEFECTS}:Color",
        "tests.contract.samples.defects:Color",
        "",
        ["    @property\n    def RED(self) -> Color | int: ..."],
        ["RED: int"],
    ),
    (f"{DEFECTS}:Point", "tests.contract.samples.defects:Point", "", ["    @property\n    def x(self) -> float: ..."], ["x: float"]),
    (f"{DEFECTS}:Frozen", "tests.contract.samples.defects:Frozen", "", ["    @property\n    def url(self) -> str: ..."], ["url: str"]),
    (
        f"{DEFECTS}:Finals",
        "tests.contract.samples.defects:Finals",
        "",
        ["    @property\n    def created(self) -> str: ..."],
        ["LIMIT", "Final["],
    ),
    (
        f"{DEFECTS}:Shadowing",
        "tests.contract.samples.defects:Shadowing",
        "",
        [
            "    import builtins",
            "    def members(self, key: str) -> builtins.set[str]: ...",
            "    def kind(self) -> builtins.type[int]: ...",
        ],
        [],
    ),
    (
        f"{DEFECTS}:Defaulted",
        "tests.contract.samples.defects:Defaulted",
        "[int]",
        ["from typing_extensions import TypeVar", "if TYPE_CHECKING:\n    D_co = TypeVar('D_co', default=str, covariant=True)\nelse:"],
        ["from typing import Protocol, runtime_checkable, TypeVar"],
    ),
    (
        "tests.contract.samples.stubbed:Limiter",
        "tests.contract.samples.stubbed:Limiter",
        "",
        [
            "    rate: float",
            "    def acquire(self, tokens: int = ...) -> bool: ...",
            # a stub's Callable attribute: pyright binds it like a method, so only this form holds for both
            "    @property\n    def on_limit(self) -> Callable[..., Any] | Callable[[int, str], None]: ...",
        ],
        ["rate: Any", "tokens: Any", "factory"],
    ),
    ("tests.contract.samples.lazy:Worker", "tests.contract.samples.lazy.impl:Worker", "", ["    def run(self, job: str) -> int: ..."], []),
    (
        f"{DEFECTS}:Headers",
        "tests.contract.samples.defects:Headers",
        "",
        [
            "    def get(self, key: str, /) -> int | None: ...",
            "    def keys(self) -> KeysView[str]: ...",
            "    def items(self) -> ItemsView[str, int]: ...",
        ],
        ["_KT", "_VT_co"],
    ),
    (
        f"{DEFECTS}:Counts",
        "tests.contract.samples.defects:Counts",
        "",
        ["    def bump(self, key: str) -> int: ...", "    def __getitem__(self, key: str, /) -> int: ...", "    @classmethod\n"],
        ["_KT", "_VT", "import _T", "import _S"],
    ),
    (
        f"{DEFECTS}:Constants",
        "tests.contract.samples.defects:Constants",
        "",
        [
            "    @property\n    def NAMES(self) -> frozenset[Any]: ...",
            "    @property\n    def RETRIES(self) -> int: ...",
            "    def transaction(self) -> AbstractAsyncContextManager[Transaction]: ...",
        ],
        ["AsyncIterator", "NAMES: "],
    ),
    (
        "asyncio:Queue",
        "asyncio:Queue",
        "[int]",
        ["    async def put(self, item: _T) -> None: ...", "    def qsize(self) -> int: ..."],
        ["Any"],
    ),
    # found by a sweep over 249 classes outside the corpus
    (f"{UNSEEN}:moment", f"{UNSEEN_MODULE}:moment", "", ["    def isoformat(self) -> str: ...", "    def day(self) -> _Day: ..."], []),
    (
        f"{UNSEEN}:Pipeline",
        f"{UNSEEN_MODULE}:Pipeline",
        "",
        ["    def acl_whoami(self) -> str: ...", "    is_transaction: bool", "    def transaction(self, name: str) -> None: ..."],
        ["def is_transaction"],
    ),
    (
        f"{UNSEEN}:QuotaError",
        f"{UNSEEN_MODULE}:QuotaError",
        "",
        [
            "    args: tuple[Any, ...]",
            "    def with_traceback(self, tb: TracebackType | None, /) -> Self: ...",
            "    def quota(self) -> int: ...",
        ],
        [],
    ),
    (
        f"{UNSEEN}:Headers",
        f"{UNSEEN_MODULE}:Headers",
        "",
        [
            "    @overload\n    def get_all(self, key: str) -> list[str]: ...",
            "    def get_all(self, key: str, default: Any) -> list[str] | Any: ...",
        ],
        ["def get_all(self) -> Any", "default: object"],
    ),
    (
        f"{UNSEEN}:Archive",
        f"{UNSEEN_MODULE}:Archive",
        "",
        ["    from builtins import list as _list", "    def names(self) -> _list[str]: ..."],
        ["    import list"],
    ),
    (f"{UNSEEN}:Task", f"{UNSEEN_MODULE}:Task", "", ["    func: Any", "    args: Any", "    kwargs: Any"], ["P.args", "Callable[P"]),
    (f"{UNSEEN}:Batch", f"{UNSEEN_MODULE}:Batch", "", ["    items: tuple[int, ...]", "    labels: dict[str, str]"], []),
    (f"{UNSEEN}:Group", f"{UNSEEN_MODULE}:Group", "", ["    group_class: type[Group | type] | None"], ["type[Any]"]),
    (f"{UNSEEN}:Decoder", "json:JSONDecoder", "", ["    def raw_decode(self, s: str, idx: int = ...) -> tuple[Any, int]: ..."], []),
    (
        f"{UNSEEN}:SyncPipeline",
        f"{UNSEEN_MODULE}:SyncPipeline",
        "",
        ["    def transaction(self, name: str) -> None: ..."],
        ["transaction: "],
    ),
    (
        f"{UNSEEN}:Bag",
        f"{UNSEEN_MODULE}:Bag",
        "[int]",
        ["T_co_inv = TypeVar('T_co_inv')", "    def items(self) -> list[T_co_inv]: ..."],
        ["covariant"],
    ),
    (
        f"{UNSEEN}:Tagged",
        f"{UNSEEN_MODULE}:Tagged",
        "[int]",
        ["U_co = TypeVar('U_co', covariant=True)", "class TaggedProtocol(Protocol[U_co]):"],
        [],
    ),
    (f"{UNSEEN}:Sink", f"{UNSEEN_MODULE}:Sink", "[int]", ["K_contra = TypeVar('K_contra', contravariant=True)"], []),
    (f"{UNSEEN}:Node", f"{UNSEEN_MODULE}:Node", "", ["    @property\n    def link(self) -> str | None: ..."], ["@link.setter"]),
    (f"{UNSEEN}:Extras", f"{UNSEEN_MODULE}:Extras", "", ["    def extra(self) -> Mapping[Any, Callable[[], Any]]: ..."], ["A]"]),
    (f"{UNSEEN}:Codec", f"{UNSEEN_MODULE}:Codec", "", ["    @property\n    def backend(self) -> ModuleType: ..."], ["backend: "]),
    (f"{UNSEEN}:Plugins", f"{UNSEEN_MODULE}:Plugins", "", ["    import importlib.metadata\n"], ["    import importlib\n"]),
    (
        f"{UNSEEN}:Parser",
        f"{UNSEEN_MODULE}:Parser",
        "",
        ["    cache: Parser._Cache", "    from tests.contract.samples.unseen import Parser\n"],
        ["unseen.Parser import"],
    ),
    ("tests.contract.samples.nsroot.leaf:Leaf", "tests.contract.samples.nsroot.leaf:Leaf", "", ["    def name(self) -> str: ..."], []),
    (
        f"{UNSEEN}:Columns",
        f"{UNSEEN_MODULE}:Columns",
        "[int]",
        ["    @property\n    def columns(self) -> list[str]: ...", "V_co = TypeVar('V_co', covariant=True)", "-> Columns[V_co]: ..."],
        ["_inv"],
    ),
    (
        f"{UNSEEN}:Panel",
        f"{UNSEEN_MODULE}:Panel",
        "",
        ["    @property\n    def align(self) -> str: ...", "    @property\n    def role(self) -> type[Role]: ..."],
        ["align: ", "role: "],
    ),
    (f"{UNSEEN}:Lock", f"{UNSEEN_MODULE}:Lock", "", ["    def acquire(self) -> AcquireProxy[Any]: ..."], ["[Self]", "import Self"]),
    (f"{UNSEEN}:Query", f"{UNSEEN_MODULE}:Query", "[int]", ["    def first(self) -> T_co: ..."], ["-> O"]),
    (f"{UNSEEN}:Row", f"{UNSEEN_MODULE}:Row", "[int, str]", ["class RowProtocol(Protocol[Unpack[Ts]]):"], ["Protocol[Ts]"]),
    (f"{UNSEEN}:Indexed", f"{UNSEEN_MODULE}:Indexed", "", ["    @property\n    def keys(self) -> list[str]: ..."], ["keys: "]),
    # found by a second sweep, over 234 classes held out from the first
    (f"{HELD}:Tokens", f"{HELD_MODULE}:Tokens", "", ["    def special(self) -> set[str] | cached_property[set[str]]: ..."], []),
    (f"{HELD}:Button", f"{HELD_MODULE}:Button", "", ["    @tip.setter\n    def tip(self, tip: str | None) -> None: ..."], ["Any"]),
    (f"{HELD}:Select", f"{HELD_MODULE}:Select", "", ["    def self_group(self) -> Grouping[Any]: ..."], ["[Self]", "ReSelf"]),
    (f"{HELD}:Column", f"{HELD_MODULE}:Column", "", ["    def comparator(self) -> Engine.Comparator[int]: ..."], ["Engine[Any]"]),
    (
        f"{HELD}:Finder",
        f"{HELD_MODULE}:Finder",
        "",
        ["    def find(self, path: str) -> int: ...  # type: ignore[overload-overlap, unused-ignore]"],
        [],
    ),
    (f"{HELD}:Aligned", f"{HELD_MODULE}:Aligned", "", ["    @property\n    def vertical(self) -> str | None: ..."], ["AlignMethod"]),
    (f"{HELD}:Decoded", f"{HELD_MODULE}:Decoded", "", ["    size: int"], ["encoding:", "InitVar["]),
]


def _name(target: str) -> str:
    return target.rpartition(":")[2] + "Protocol"


@pytest.mark.parametrize(("target", "real", "args", "present", "absent"), CASES, ids=[c[0].rpartition(":")[2] for c in CASES])
def test_protocol_text(target: str, real: str, args: str, present: list[str], absent: list[str], gen: GenRunner) -> None:
    run = gen(target)
    assert run.code == 0, run.err
    for line in present:
        assert line in run.out
    for text in absent:
        assert text not in _body(run)  # the class body and imports, not the header


def _body(run: Run) -> str:
    """The protocol's imports and class body, without the header that names the target."""
    return run.out.split('"""', 2)[-1]


def _generated(gen: GenRunner, path: Path, cls: str, source: str) -> Run:
    """The protocol of class ``cls`` once the file at ``path`` holds ``source``."""
    path.write_text(source, encoding="utf-8")
    run = gen(f"{path}:{cls}")
    assert run.code == 0, run.err
    return run


def test_weakened_members_are_reported_on_stderr(gen: GenRunner) -> None:
    narrowed, finals = gen(f"{DEFECTS}:Narrowed"), gen(f"{DEFECTS}:Finals")
    assert "1 weakened: verbose (read-only: verbose is tested before it is assigned)" in narrowed.err
    assert "warning: tests/contract/samples/defects.py:Finals: LIMIT: a class-level Final has no protocol form" in finals.err
    assert "1 weakened: LIMIT (left out: class-level Final)" in finals.err


def test_a_name_from_an_installed_package_without_types_is_any_and_said(gen: GenRunner, tmp_path: Path) -> None:
    site = tmp_path / "site-packages"  # an installed package is read typed only with a py.typed marker (PEP 561)
    for package, marker in (("plainpkg", False), ("typedpkg", True)):
        (site / package).mkdir(parents=True)
        (site / package / "__init__.py").write_text("class Lexer:\n    pass\n", encoding="utf-8")
        if marker:
            (site / package / "py.typed").write_text("", encoding="utf-8")
    run = _generated(
        gen,
        site / "typedpkg" / "core.py",
        "Highlighter",
        "import plainpkg\nimport typedpkg\n\n\nclass Highlighter:\n"
        "    def plain(self) -> plainpkg.Lexer: ...\n    def typed(self) -> typedpkg.Lexer: ...\n",
    )
    assert "    def plain(self) -> Any: ..." in run.out and "    def typed(self) -> typedpkg.Lexer: ..." in run.out
    assert "plainpkg.Lexer comes from a package with no type information (no py.typed, no stubs); written as Any" in run.err
    assert "1 weakened: plainpkg.Lexer (Any: an untyped package)" in run.err


def test_a_name_from_a_module_that_is_not_installed_is_any_and_said(gen: GenRunner, tmp_path: Path) -> None:
    run = _generated(  # starlette's Jinja2Templates names jinja2, an optional dependency
        gen,
        tmp_path / "templating.py",
        "Templates",
        "from __future__ import annotations\n\nimport absentpkg\n\n\nclass Templates:\n"
        "    def environment(self) -> absentpkg.Environment: ...\n    def name(self) -> str: ...\n",
    )
    assert "    def environment(self) -> Any: ..." in run.out and "absentpkg" not in _body(run)
    assert "the name 'absentpkg.Environment' in an annotation cannot be resolved (not installed, or not found statically)" in run.err
    assert "1 weakened: absentpkg.Environment (Any: cannot be resolved)" in run.err


def test_overloads_that_collapse_to_one_leave_no_overload_import(gen: GenRunner) -> None:
    run = gen(f"{UNSEEN}:Commands")
    assert run.code == 0, run.err
    assert "    def ping(self) -> bool: ..." in run.out
    assert "overload" not in _body(run)


def test_a_method_type_variable_in_an_attribute_is_weakened_and_said(gen: GenRunner) -> None:
    run = gen(f"{UNSEEN}:Task")
    assert "warning: tests/contract/samples/unseen.py:Task: args: typed with a type variable of __init__() only; written as Any" in run.err
    assert "3 weakened: func (Any: a type variable of __init__()), args" in run.err


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case's protocol and an acceptance check, in one folder (written once for the module)."""
    from protodoubles._internal.gen.cli import main

    folder = tmp_path_factory.mktemp("defects")
    lines: list[str] = []
    for index, (target, real, args, _, _) in enumerate(CASES):
        module, cls = real.split(":")
        name = _name(target)
        assert main([target, "-o", str(folder / f"p{index}.py"), "--name", name]) == 0
        lines += [f"from {module} import {cls} as Real{index}", f"from p{index} import {name} as Proto{index}"]
        lines += [f"def accept{index}(x: Real{index}{args}) -> Proto{index}{args}:", "    return x", ""]
    (folder / "accept.py").write_text("\n".join(lines) + "\n")
    return folder


def test_every_protocol_passes_mypy_strict_and_accepts_its_class(generated: Path, mypy: MypyRunner) -> None:
    files = sorted(generated.glob("*.py"))
    code, report = mypy(*files)
    assert code == 0, report


def test_basedpyright_accepts_every_class(generated: Path) -> None:
    pyright = Path(sys.executable).parent / "basedpyright"
    if not pyright.is_file():
        pytest.fail("basedpyright is not installed: `make install` installs the corpus extra")
    (generated / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "standard", "extraPaths": [str(ROOT)]}))
    run = subprocess.run(
        [str(pyright), "--pythonpath", sys.executable, "accept.py"], cwd=generated, capture_output=True, text=True, timeout=300, check=False
    )
    assert "0 errors" in run.stdout, run.stdout[-3000:]
