"""Which fixture a parameter resolves to, as pytest resolves it, and that fixture's type.

Lookup order: the test's class, its module, then ``conftest.py`` in its folder and each folder above up to
the root; then pytest's built-in fixtures. A fixture that requests its own name gets the next definition
out (overriding). A fixture's type is its return annotation (the yielded type for a ``yield`` fixture, the
awaited value for an ``async`` one); without one, it is taken from what every ``return``/``yield`` gives
when that is certain (a constructor call of a known class, ``double(Proto)``, a call of an annotated
function, a literal, another fixture), and otherwise reported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import griffe

from protodoubles._internal.annotate.reader import Fixture, FunctionNode, Library, Scope, Source, binding, fixtures_in, read
from protodoubles._internal.annotate.typeref import TypeRef, from_expression, yielded
from protodoubles._internal.errors import AnnotateError

_CAPTURE = "pytest.CaptureFixture[{}]"
BUILTINS: dict[str, TypeRef] = {
    "tmp_path": TypeRef.parse("Path", Path="pathlib.Path"),
    "tmp_path_factory": TypeRef.parse("pytest.TempPathFactory", pytest="pytest"),
    "monkeypatch": TypeRef.parse("pytest.MonkeyPatch", pytest="pytest"),
    "capsys": TypeRef.parse(_CAPTURE.format("str"), pytest="pytest"),
    "capfd": TypeRef.parse(_CAPTURE.format("str"), pytest="pytest"),
    "capsysbinary": TypeRef.parse(_CAPTURE.format("bytes"), pytest="pytest"),
    "capfdbinary": TypeRef.parse(_CAPTURE.format("bytes"), pytest="pytest"),
    "caplog": TypeRef.parse("pytest.LogCaptureFixture", pytest="pytest"),
    "request": TypeRef.parse("pytest.FixtureRequest", pytest="pytest"),
    "pytestconfig": TypeRef.parse("pytest.Config", pytest="pytest"),
    "recwarn": TypeRef.parse("pytest.WarningsRecorder", pytest="pytest"),
    "cache": TypeRef.parse("pytest.Cache", pytest="pytest"),
    "pytester": TypeRef.parse("pytest.Pytester", pytest="pytest"),
    "record_property": TypeRef.parse("Callable[[str, object], None]", Callable="collections.abc.Callable"),
    "record_testsuite_property": TypeRef.parse("Callable[[str, object], None]", Callable="collections.abc.Callable"),
    "record_xml_attribute": TypeRef.parse("Callable[[str, object], None]", Callable="collections.abc.Callable"),
    "doctest_namespace": TypeRef.parse("dict[str, object]"),
}
_DOUBLE_FACTORIES = frozenset({"protodoubles.double", "protodoubles._internal.doubles.double.double"})
_LITERALS = (bool, int, float, str, bytes)

Found = tuple[Fixture, int] | TypeRef | None  # a fixture and the index of its scope, a built-in, or nothing


def own_nodes(function: FunctionNode) -> Iterator[ast.AST]:
    """The nodes of a function's own body, not of the functions, lambdas and classes nested in it."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def is_generator(function: FunctionNode) -> bool:
    return any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in own_nodes(function))


class Resolver:
    def __init__(self, root: Path, library: Library) -> None:
        self.root = root
        self.library = library
        self._sources: dict[Path, Source] = {}
        self._types: dict[tuple[Path, int], TypeRef | str] = {}
        self._scopes: dict[tuple[Path, str | None], Scope] = {}

    def source(self, path: Path) -> Source:
        if path not in self._sources:
            self._sources[path] = read(path)
        return self._sources[path]

    def scopes(self, source: Source, owner: griffe.Class | None) -> list[Scope]:
        """The levels a test (or fixture) at this place sees, innermost first."""
        found: list[Scope] = []
        if owner is not None:
            found.append(self._scope(source, owner))
        found.append(self._scope(source, None))
        folder = source.path.parent
        while True:
            conftest = folder / "conftest.py"
            if conftest.is_file() and conftest != source.path:
                found.append(self._scope(self.source(conftest), None))
            if folder in (self.root, folder.parent) or self.root not in folder.parents:
                break
            folder = folder.parent
        return found

    def _scope(self, source: Source, owner: griffe.Class | None) -> Scope:
        key = (source.path, owner.name if owner is not None else None)
        if key not in self._scopes:
            members = owner.members if owner is not None else source.module.members
            self._scopes[key] = Scope(source, fixtures_in(members, source, key[1]))
        return self._scopes[key]

    def lookup(self, name: str, scopes: list[Scope], start: int = 0) -> Found:
        for index in range(start, len(scopes)):
            fixture = scopes[index].fixtures.get(name)
            if fixture is not None:
                return fixture, index
        return BUILTINS.get(name)

    def request(self, name: str, fixture: Fixture | None, scopes: list[Scope], index: int, stack: tuple[Fixture, ...]) -> TypeRef | str:
        """The type of the fixture that parameter ``name`` resolves to, seen from ``scopes[index]``."""
        start = index + 1 if fixture is not None and name == fixture.name else index
        found = self.lookup(name, scopes, start)
        if found is None:
            return f"no fixture named {name!r}"
        if isinstance(found, TypeRef):
            return found
        return self.fixture_type(found[0], scopes, found[1], stack)

    def fixture_type(self, fixture: Fixture, scopes: list[Scope], index: int, stack: tuple[Fixture, ...] = ()) -> TypeRef | str:
        if fixture in stack:
            cycle = " -> ".join(f.name for f in (*stack[stack.index(fixture) :], fixture))
            raise AnnotateError(f"{fixture.source.path}:{fixture.node.lineno}: fixture cycle: {cycle}")
        key = (fixture.source.path, fixture.node.lineno)
        if key not in self._types:
            self._types[key] = self._fixture_type(fixture, scopes, index, (*stack, fixture))
        return self._types[key]

    def _fixture_type(self, fixture: Fixture, scopes: list[Scope], index: int, stack: tuple[Fixture, ...]) -> TypeRef | str:
        generator = is_generator(fixture.node)
        module, importable = fixture.source.module, fixture.source.importable
        annotation = fixture.function.returns
        if annotation is not None:
            if not generator:
                return from_expression(annotation, module, importable)
            inner = yielded(annotation)
            return from_expression(inner, module, importable) if inner is not None else f"yield fixture annotated {annotation}"
        kinds = (ast.Yield,) if generator else (ast.Return,)
        values = [node.value for node in own_nodes(fixture.node) if isinstance(node, kinds)]
        if not values or any(value is None for value in values):
            return "it has no return annotation and returns nothing"
        types = [self._value_type(value, fixture, scopes, index, stack) for value in values if value is not None]
        reasons = [t for t in types if isinstance(t, str)]
        if reasons:
            return reasons[0]
        if len(set(types)) > 1:
            return "it has no return annotation and returns values of different types"
        return types[0]

    def _value_type(self, value: ast.expr, fixture: Fixture, scopes: list[Scope], index: int, stack: tuple[Fixture, ...]) -> TypeRef | str:
        source = fixture.source
        uncertain = f"it has no return annotation and the type of {ast.unparse(value)!r} is not certain"
        if isinstance(value, ast.Constant) and isinstance(value.value, _LITERALS):
            name = type(value.value).__name__
            return TypeRef(name, ((name, None),))
        parameters = {a.arg for a in fixture.node.args.posonlyargs + fixture.node.args.args + fixture.node.args.kwonlyargs}
        if isinstance(value, ast.Name) and value.id in parameters:
            return self.request(value.id, fixture, scopes, index, stack)
        if not isinstance(value, ast.Call) or not isinstance(value.func, (ast.Name, ast.Attribute)):
            return uncertain
        callee = griffe.safe_get_expression(value.func, parent=source.module)
        full = _full_path(callee, source.module) if callee is not None else None
        if callee is None or full is None:
            return uncertain
        if full in _DOUBLE_FACTORIES and len(value.args) == 1 and not value.keywords:
            proto = griffe.safe_get_expression(value.args[0], parent=source.module)
            return from_expression(proto, source.module, source.importable) if proto is not None else uncertain
        found = self._definition(full, source)
        if found is None:
            return uncertain
        obj, module = found
        if isinstance(obj, griffe.Class):
            return from_expression(callee, source.module, source.importable)
        if isinstance(obj, griffe.Function) and obj.returns is not None and "async" not in obj.labels:
            importable = source.importable if module is source.module else True
            return from_expression(obj.returns, module, importable)
        return uncertain

    def _definition(self, full: str, source: Source) -> tuple[griffe.Object, griffe.Module] | None:
        prefix = f"{source.module.path}."
        if full.startswith(prefix):
            member = source.module.members.get(full[len(prefix) :])
            return (member, source.module) if isinstance(member, griffe.Object) else None
        return self.library.find(full)


def _full_path(callee: griffe.Expr | str, module: griffe.Module) -> str | None:
    """The full dotted path a callee expression (``name`` or ``a.b.name``) stands for in ``module``."""
    text = str(callee)
    if not all(part.isidentifier() for part in text.split(".")):
        return None
    first, _, rest = text.partition(".")
    bound = binding(module, first)
    if bound is None:
        return None
    return f"{bound}.{rest}" if rest else bound
