"""What a bare generic means, written out for ``--strict``'s disallow_any_generics: ``list`` is
``list[Any]``, ``Callable`` is ``Callable[..., Any]``; keyed by where each generic is defined."""

from __future__ import annotations

_ANY = "\0Any"  # stands for the local name of typing.Any while a bare generic is completed
_ONE = ["builtins.list", "builtins.set", "builtins.frozenset", "builtins.type", "typing.List", "typing.Set", "typing.FrozenSet", "typing.Type", "typing.Iterable", "typing.Iterator", "typing.AsyncIterable", "typing.AsyncIterator", "typing.Awaitable", "typing.Sequence", "typing.MutableSequence", "typing.AbstractSet", "typing.MutableSet", "typing.Collection", "typing.Container", "typing.Reversible", "typing.KeysView", "typing.ValuesView", "typing.Deque", "typing.Counter", "typing.ContextManager", "typing.AsyncContextManager", "typing.Pattern", "typing.Match", "typing.IO", "collections.deque", "collections.Counter", "contextlib.AbstractContextManager", "contextlib.AbstractAsyncContextManager", "re.Pattern", "re.Match", "asyncio.Queue", "asyncio.Future", "asyncio.Task", "asyncio.queues.Queue", "asyncio.futures.Future", "asyncio.tasks.Task", "queue.Queue", "os.PathLike", "builtins.memoryview", "typing.SupportsAbs", "typing.SupportsRound", "weakref.ref", "weakref.WeakSet"]  # fmt: skip
_TWO = ["builtins.dict", "typing.Dict", "typing.DefaultDict", "typing.OrderedDict", "typing.ChainMap", "typing.Mapping", "typing.MutableMapping", "typing.ItemsView", "typing.AsyncGenerator", "collections.defaultdict", "collections.OrderedDict", "collections.ChainMap", "weakref.WeakKeyDictionary", "weakref.WeakValueDictionary"]  # fmt: skip
_THREE = ["typing.Generator", "typing.Coroutine"]
BARE_GENERICS: dict[str, str] = {
    **dict.fromkeys(_ONE, f"[{_ANY}]"),
    **dict.fromkeys(_TWO, f"[{_ANY}, {_ANY}]"),
    **dict.fromkeys(_THREE, f"[{_ANY}, {_ANY}, {_ANY}]"),
    "builtins.tuple": f"[{_ANY}, ...]",
    "typing.Tuple": f"[{_ANY}, ...]",
    "typing.Callable": f"[..., {_ANY}]",
}
for _path in list(BARE_GENERICS):  # collections.abc spells the typing ABCs the same way
    if _path.startswith("typing.") and _path.split(".")[1] not in {
        "List",
        "Set",
        "FrozenSet",
        "Dict",
        "Type",
        "Tuple",
        "Deque",
        "DefaultDict",
        "Counter",
        "ChainMap",
        "OrderedDict",
        "Pattern",
        "Match",
        "IO",
        "ContextManager",
        "AsyncContextManager",
    }:
        BARE_GENERICS["collections.abc." + _path.split(".")[1]] = BARE_GENERICS[_path]
BARE_GENERICS["collections.abc.Set"] = BARE_GENERICS["typing.AbstractSet"]
