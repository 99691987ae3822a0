"""One small class per generator defect that a sweep over classes outside the corpus found (issue 9);
tests/contract/test_gen_defects.py reads them."""

from __future__ import annotations

import importlib.metadata
import json
from builtins import list as _list
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, Literal, ParamSpec, Protocol, Self, TypeAlias, TypeVar, TypeVarTuple, Unpack, overload

P = ParamSpec("P")
D = TypeVar("D")


class day:  # noqa: N801  # named as typeshed names `date`
    def isoformat(self) -> str:
        return ""


_Day: TypeAlias = day


class moment(day):  # noqa: N801
    """A base named like one of the class's own methods (typeshed's ``class datetime(date)``)."""

    def day(self) -> _Day:
        return day()


class ACLCommands:
    def acl_whoami(self) -> str:
        return ""


AsyncACLCommands = ACLCommands


class Pipeline(AsyncACLCommands):
    """A base reached through a name assigned a class; an attribute from a parameter named like a method."""

    def __init__(self, transaction: bool) -> None:
        self.is_transaction = transaction

    def transaction(self, name: str) -> None:
        pass


class QuotaError(ValueError):
    """A builtin base."""

    def quota(self) -> int:
        return 0


class Headers:
    """A class-level alias of an overloaded method."""

    @overload
    def getlist(self, key: str) -> list[str]: ...
    @overload
    def getlist(self, key: str, default: D) -> list[str] | D: ...
    def getlist(self, key: str, default: object = None) -> object:
        return []

    get_all = getlist


class Archive:
    """``from builtins import list as _list`` beside a member named ``list``."""

    def names(self) -> _list[str]:
        return []

    def list(self) -> None:
        pass


class Task:
    """Attributes assigned from a method's own ParamSpec."""

    def __init__(self, func: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
        self.func = func
        self.args = args
        self.kwargs = kwargs


class Batch:
    """Attributes assigned from star parameters."""

    def __init__(self, *items: int, **labels: str) -> None:
        self.items = items
        self.labels = labels


class Group:
    """A bare ``type`` inside ``type[...]``."""

    group_class: type[Group | type] | None = None


Decoder = json.JSONDecoder  # a class exported under a name assigned to it


class SyncSide(Protocol):
    def is_sync(self) -> bool: ...


class AsyncSide(Protocol):
    def is_async(self) -> bool: ...


class Commands:
    """Overloads on self types the class is neither of: they collapse to one signature (and no checker
    binds them on the class itself, so this one is read for its text only)."""

    @overload
    def ping(self: SyncSide) -> bool: ...
    @overload
    def ping(self: AsyncSide) -> Awaitable[bool]: ...
    def ping(self) -> bool | Awaitable[bool]:
        return True


class Transactions:
    def transaction(self, name: str) -> None:
        pass


class SyncPipeline(Transactions):
    """An attribute assigned over a base's method of the same name (redis's sync Pipeline): the checkers
    refuse the assignment and keep the method."""

    def __init__(self, transaction: bool) -> None:
        self.transaction = transaction  # type: ignore[method-assign,assignment]  # the shape of the defect


T_co = TypeVar("T_co", covariant=True)
U_co = TypeVar("U_co", covariant=True)
K = TypeVar("K")
A = TypeVar("A")


class Bag(Generic[T_co]):
    """A type parameter returned inside an invariant generic: invariant in the protocol, whatever the class
    declared (mypy checks a protocol's variance, not a class's)."""

    def items(self) -> list[T_co]:
        raise NotImplementedError


class Tagged(Generic[U_co]):
    """A type parameter that no public member uses: covariant, as mypy wants it."""

    def name(self) -> str:
        return ""


class Sink(Generic[K]):
    """A type parameter only among the parameters of a returned Callable: contravariant."""

    def handler(self) -> Callable[[K], None]:
        raise NotImplementedError


class Node:
    """A property whose setter does not follow its getter: read-only for mypy."""

    def __init__(self) -> None:
        self._link: str | None = None

    @property
    def link(self) -> str | None:
        return self._link

    def other(self) -> None:
        pass

    @link.setter  # type: ignore[no-redef,attr-defined,untyped-decorator]  # the shape of the defect (griffe does this)
    def link(self, value: str | None) -> None:
        self._link = value


class Extras:
    """A property typed with a type variable of its own."""

    @property
    def extra(self) -> Mapping[A, Callable[[], A]]:
        return {}


class Codec:
    """An attribute assigned a module: read-only for the checkers."""

    def __init__(self) -> None:
        self.backend = json


class Plugins:
    """An annotation through a submodule (``importlib.metadata.Distribution``)."""

    def distributions(self) -> list[importlib.metadata.Distribution]:
        return []


class Parser:
    """A class nested in the class."""

    class _Cache:
        def clear(self) -> None:
            pass

    cache: _Cache = _Cache()


if TYPE_CHECKING:
    ro_property = property
else:

    class _ro_property:  # noqa: N801
        """What the class uses at run time: a descriptor the checkers never see."""

        def __init__(self, getter: Callable[[Any], Any]) -> None:
            self.getter = getter

        def __get__(self, obj: Any, owner: Any = None) -> Any:
            return self if obj is None else self.getter(obj)

    ro_property = _ro_property


V_co = TypeVar(
    "V_co",
    covariant=True,
)


class Columns(Generic[V_co]):
    """A decorator that is ``property`` for the checkers; a type parameter declared over several lines.

    (sqlalchemy's ``ro_memoized_property``, and its ``Table[_ColCC_co]``.)"""

    @ro_property
    def columns(self) -> list[str]:
        return []

    def copy(self) -> Columns[V_co]:
        return self


Align = Literal["left", "center", "right"]


class Role:
    pass


class ClientRole(Role):
    pass


class ServerRole(Role):
    pass


class Panel:
    """Attributes assigned a Literal-typed parameter (pyright widens them to str), and a parameter narrowed
    by an ``in`` test before it is assigned."""

    def __init__(self, role: type[Role], align: Align = "center") -> None:
        if role not in (ClientRole, ServerRole):
            raise ValueError(role)
        self.role = role
        self.align = align


LockT = TypeVar("LockT", bound="Lock")


class AcquireProxy(Generic[LockT]):
    def __init__(self, lock: LockT) -> None:
        self.lock = lock


class Lock:
    """``Self`` given to a class whose type parameter is bounded by this one (filelock's ``acquire``)."""

    def acquire(self) -> AcquireProxy[Self]:
        return AcquireProxy(self)


O = TypeVar("O")
Ts = TypeVarTuple("Ts")


class Query(Generic[T_co]):
    """A method's type variable given through an annotated ``self`` (sqlalchemy's ``def tuples(self:
    Query[_O])``): for every instance it is the class's own."""

    def first(self: Query[O]) -> O:
        raise NotImplementedError


class Row(Generic[Unpack[Ts]]):
    """A TypeVarTuple type parameter."""

    def values(self) -> tuple[Unpack[Ts]]:
        raise NotImplementedError


class Indexed:
    """``__init__`` assigns over a property the class body declares for the checkers (sqlalchemy's ``Table``)."""

    if TYPE_CHECKING:

        @ro_property
        def keys(self) -> list[str]: ...

    def __init__(self) -> None:
        self.keys = []  # type: ignore[misc]  # the shape of the defect: sqlalchemy does this
