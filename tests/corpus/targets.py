"""The corpus: every class the generator is measured on, as one table of data.

Add a row to extend it. ``source`` is what a user passes to ``tools/gen_protocol.py``; ``real`` is the class a
type checker sees, imported in the acceptance check ``def _accepts(x: Real[args]) -> Proto[args]: return x``;
``notes`` says what the row exercises. ``members`` must be members of the generated protocol, ``absent``
must not occur in its text, and ``typed`` asks for every parameter and return to be annotated (the class is
annotated where type checkers look: typeshed or a stub file), so that nothing falls back to ``Any``.

PEP 695 syntax (``class Box[T]:``) is not in the corpus: the project runs on Python 3.11, which cannot parse it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    source: str
    real: str
    notes: str
    args: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    typed: bool = False
    label: str = ""  # overrides the key derived from source, to run one source several ways

    @property
    def key(self) -> str:
        """A file-name-safe identifier, unique within the corpus."""
        return self.label or re.sub(r"\W", "_", self.source).strip("_")

    @property
    def protocol_name(self) -> str:
        return self.source.rpartition(":")[2].split(".")[-1] + "Protocol"

    @property
    def kind(self) -> str:
        if self.source.startswith(SYNTHETIC):
            return "synthetic"
        return "stdlib" if self.source.partition(":")[0].split(".")[0] in STDLIB else "third-party"


SYNTHETIC = "tests.corpus.synthetic."
STDLIB = frozenset({"argparse", "asyncio", "collections", "concurrent", "contextlib", "json", "logging", "pathlib"})


def _same(spec: str, notes: str, args: tuple[str, ...] = (), *, typed: bool = False) -> Target:
    return Target(spec, spec, notes, args, typed=typed)


def _synthetic(spec: str, notes: str, *, members: tuple[str, ...] = (), absent: tuple[str, ...] = (), typed: bool = False) -> Target:
    return Target(SYNTHETIC + spec, SYNTHETIC + spec, notes, members=members, absent=absent, typed=typed)


THIRD_PARTY = [
    _same("aiohttp:ClientSession", "TYPE_CHECKING request methods with Unpack kwargs (1); setters (2); ATTRS constant (14)"),
    _same("starlette.requests:Request", "TypeVar default=State on the class (10); Mapping base (13)"),
    _same("starlette.applications:Starlette", "decorator methods returning Callable (4)"),
    _same("rich.console:Console", "many properties with setters (2)"),
    _same("rich.progress:Progress", "context manager, generic track() method"),
    _same("redis.asyncio:Redis", "overloads told apart by self: Sync/AsyncClientProtocol (3); set/type methods (9)"),
    _same("sqlalchemy.ext.asyncio:AsyncSession", "dispatch descriptor annotation (7); large package load (speed)"),
    _same("httpx:AsyncClient", "auth/headers setters wider than getters (2); PathLike forward refs (5)"),
    _same("pydantic:BaseModel", "if not TYPE_CHECKING: __getattr__ (1); ClassVar config"),
    _same("click:Command", "plain class with many optional parameters"),
    _same("attrs:Attribute", "interface in .pyi stubs beside the sources (11)", ("int",), typed=True),
    _same("multidict:CIMultiDict", "module picks the implementation under TYPE_CHECKING (1); Mapping base (13)", ("str",)),
    _same("yarl:URL", "cached properties, __truediv__, classmethods"),
    _same("griffe:GriffeLoader", "a typed, strict-friendly library class"),
    _same("anthropic:AsyncAnthropic", "resources as cached properties; a package of ~3,200 modules (speed)"),
]

STDLIB_TARGETS = [
    _same("asyncio:Queue", "stdlib .py has no annotations; typeshed is generic (11)", ("int",), typed=True),
    _same("logging:Logger", "typeshed signatures differ from the source (Logger.exception) (11)", typed=True),
    _same("pathlib:Path", "0/116 annotations in the .py source (11)", typed=True),
    _same("contextlib:AsyncExitStack", "__aexit__ signature from typeshed (11)", typed=True),
    _same("concurrent.futures:ThreadPoolExecutor", "exported through a module __getattr__ (12)", typed=True),
    _same("argparse:ArgumentParser", "inherits from private mixins; overloaded parse_args in typeshed", typed=True),
    _same("asyncio:StreamWriter", "async drain/wait_closed, properties", typed=True),
    _same("json:JSONEncoder", "class constants and plain methods", typed=True),
]

SYNTHETIC_TARGETS = [
    _synthetic("type_checking:Session", "1: TYPE_CHECKING branch declares Unpack kwargs; the runtime branch must lose"),
    _synthetic("type_checking:Record", "1: `if not TYPE_CHECKING: __getattr__` is invisible to checkers", absent=("__getattr__",)),
    _synthetic("setters:Request", "2: setters take other types than the getters return"),
    _synthetic("self_overloads:AsyncClient", "3: overloads told apart only by an annotated self"),
    _synthetic("bare_generics:EventBus", "4: bare Callable/tuple/Dict/AsyncIterator/Awaitable, also outside __init__"),
    _synthetic("forward_refs:Store", "5: quoted forward references inside Union/Optional"),
    _synthetic("narrowing:Connection", "6: attributes assigned after narrowing (bool | None -> bool)"),
    _synthetic("descriptors:Request", "7: a reify-style decorator and a descriptor instance at class level"),
    _synthetic("readonly:Color", "8: Enum members are read-only and typed as the Enum"),
    _synthetic("readonly:Point", "8: NamedTuple fields are read-only"),
    _synthetic("readonly:Settings", "8: frozen dataclass fields are read-only"),
    _synthetic("readonly:Limits", "8: Final class and instance attributes are read-only"),
    _synthetic("shadowing:Client", "9: mixin methods named set/type shadow the builtins used in annotations"),
    _synthetic("type_defaults:Box", "10: PEP 696 TypeVar default (a bare Box means Box[str])"),
    _synthetic("stubbed:RateLimiter", "11: an unannotated .py with an annotated .pyi beside it", typed=True),
    Target(
        SYNTHETIC + "lazy_exports:WorkerPool",
        SYNTHETIC + "lazy_exports.pool:WorkerPool",
        "12: a package exporting the class through a module __getattr__",
    ),
    _synthetic("inherited:Headers", "13: members inherited from collections.abc.Mapping", members=("get", "keys", "items", "__contains__")),
    _synthetic("inherited:Registry", "13: members inherited from dict", members=("bump", "get", "setdefault", "__getitem__")),
    _synthetic("streams:Channel", "keep: async generators as plain def -> AsyncIterator, async context managers"),
    _synthetic(
        "constants:Database", "14: unannotated class constants; no unused import after an asynccontextmanager", absent=("ATTRS: Any",)
    ),
]

TARGETS: list[Target] = [*THIRD_PARTY, *STDLIB_TARGETS, *SYNTHETIC_TARGETS]
