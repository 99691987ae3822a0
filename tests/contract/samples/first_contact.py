"""One small class per generator defect that a run over classes nobody here had seen found (issue 18);
tests/contract/test_gen_first_contact.py reads them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, AnyStr, ClassVar, Generic, Literal, ParamSpec, Protocol, TypeGuard, TypeVar, TypeVarTuple, Unpack, overload

from typing_extensions import TypeForm

from tests.contract.samples.typevars import D

if TYPE_CHECKING:
    from _typeshed import FloatInt
    from builtins import _ClassInfo

E_co = TypeVar("E_co", covariant=True)
R = TypeVar("R")
P = ParamSpec("P")
Ts = TypeVarTuple("Ts")


class Shelf(Generic[D]):
    def put(self, item: D) -> None: ...
    def take(self) -> D:
        raise NotImplementedError


class Store(Generic[D]):
    """A type variable imported from another module, given to a class invariant in it (pymongo)."""

    def shelf(self) -> Shelf[D]:
        raise NotImplementedError


class Events(Generic[E_co]):
    """A covariant type variable inside a tuple and a TypeForm (xml.etree's XMLPullParser, msgspec)."""

    def read(self) -> Iterator[tuple[str, E_co]]:
        raise NotImplementedError

    def form(self) -> TypeForm[E_co]:
        raise NotImplementedError


class Lines(Generic[AnyStr]):
    """``typing.AnyStr`` used in returns only (fileinput.FileInput)."""

    def readline(self) -> AnyStr:
        raise NotImplementedError


class Stubbed:
    """Names a standard-library stub keeps private (yaml, unittest, sqlite3 name them)."""

    limit: ClassVar[FloatInt] = 1.0

    def kinds(self, *choices: _ClassInfo) -> bool:
        return bool(choices)


class Failures(ExceptionGroup[ValueError]):
    """``subgroup``/``split`` typed with builtins' private ``_ExceptionT`` (cattrs)."""


class Overlapping:
    """Overloads that pyright calls overlapping, mypy not: a call with no argument matches both (werkzeug's
    ``get_data``); ``value: None`` before ``value: Any`` (marshmallow's ``deserialize``); an iterable of fewer
    types before one of more (configparser's ``read``)."""

    @overload
    def get_data(self, as_text: Literal[False] = False) -> bytes: ...
    @overload
    def get_data(self, as_text: Literal[True] = ...) -> str: ...
    def get_data(self, as_text: bool = False) -> bytes | str:
        return "" if as_text else b""

    @overload
    def read(self, names: Iterable[str]) -> list[str]: ...
    @overload
    def read(self, names: Iterable[str | bytes]) -> list[str | bytes]: ...
    def read(self, names: Iterable[str | bytes]) -> list[str] | list[str | bytes]:
        return []

    @overload
    def load(self, value: None) -> None: ...
    @overload
    def load(self, value: Any) -> int: ...
    def load(self, value: Any) -> int | None:
        return None if value is None else 0


class Awaited:
    """``@property async def`` (pymongo's AsyncMongoClient.address)."""

    @property
    async def address(self) -> tuple[str, int] | None:
        return None


_Op = (
    Shelf  # type: ignore[type-arg]  # an implicit alias written as pymongo writes _WriteOp
    | int
)


class Writer:
    def write(self, op: _Op) -> None: ...


def is_names(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list)


class Guarded:
    """A parameter narrowed by a TypeGuard before it is assigned (marshmallow's ``only``)."""

    def __init__(self, only: tuple[str, ...] | None = None) -> None:
        if only is not None and not is_names(only):
            raise TypeError(only)
        self.only = only


class Group:
    pass


class AppGroup(Group):
    pass


class Scaffold:
    def __init__(self) -> None:
        self.cli: Group = Group()


class Blueprint(Scaffold):
    """An attribute a base annotates and a subclass assigns unannotated (flask's ``cli``)."""

    def __init__(self) -> None:
        super().__init__()
        self.cli = AppGroup()


def header_property(name: str) -> property:
    return property(lambda self: name)


class Body:
    """``value = property(get, set)`` in a class body, with a plain and an overloaded getter (werkzeug): pyright
    finds no getter in either."""

    def get_size(self) -> int:
        return 0

    def set_size(self, value: int) -> None: ...

    size = property(get_size, set_size)

    @overload
    def get_data(self, as_text: Literal[False] = False) -> bytes: ...
    @overload
    def get_data(self, as_text: Literal[True]) -> str: ...
    def get_data(self, as_text: bool = False) -> bytes | str:
        return "" if as_text else b""

    data = property(get_data)
    vary = header_property("Vary")  # a function typed to return a property (werkzeug's _set_property)


class Opener:
    """A method type variable in the return type only (flask's ``open_resource -> IO[AnyStr]``)."""

    def open(self, name: str) -> list[R]:
        return []

    def route(self, rule: str) -> Callable[[R], R]:
        raise NotImplementedError


class Moment:
    """A method named like the imported type its annotations use (arrow's ``def date(self) -> date``)."""

    def date(self) -> date:
        raise NotImplementedError


class Result(Generic[R]):
    def __init__(self, coroutine: Coroutine[Any, Any, R]) -> None:
        self.coroutine = coroutine


def managed(method: Callable[..., Coroutine[Any, Any, R]]) -> Callable[..., Result[R]]:
    def wrapper(*args: Any, **kwargs: Any) -> Result[R]:
        return Result(method(*args, **kwargs))

    return wrapper


def wraps_async(wrapped: Callable[..., object]) -> Callable[[Callable[P, R]], Callable[P, Awaitable[R]]]:
    def decorator(fn: Callable[P, R]) -> Callable[P, Awaitable[R]]:
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            return fn(*args, **kwargs)

        return wrapper

    return decorator


class Decorated:
    """Typed decorators that change what a method returns (aiosqlite's ``@contextmanager``, trio's
    ``@_wraps_async``)."""

    @managed
    async def cursor(self, name: str) -> int:
        return len(name)

    @wraps_async(print)
    def cwd(self) -> str:
        return ""


class SyncClient(Protocol):
    _is_async_client: Literal[False]


class AsyncClient(Protocol):
    _is_async_client: Literal[True]


class Monitor:
    """Overloads meant for clients of either kind, on a class that is neither (redis's Sentinel)."""

    @overload
    def master(self: SyncClient, name: str) -> str: ...
    @overload
    def master(self: AsyncClient, name: str) -> Awaitable[str]: ...
    def master(self, name: str) -> str | Awaitable[str]:
        return name

    def ping(self) -> bool:
        return True


class Rows(Generic[Unpack[Ts]]):
    """A method type variable given only through ``self``'s arguments, against a TypeVarTuple (sqlalchemy's
    ``Result.scalar_one``)."""

    def first(self: Rows[R, Unpack[tuple[Any, ...]]]) -> R:
        raise NotImplementedError
