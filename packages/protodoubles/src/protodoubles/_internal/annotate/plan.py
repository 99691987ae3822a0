"""What to change in one file: an annotation for each fixture parameter of its tests and fixtures, ``-> None``
on tests, and the imports those annotations need. Nothing else in the file is touched."""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass, field

import griffe

from protodoubles._internal.annotate.reader import AnnotateError, Fixture, FunctionNode, Scope, Source, binding, fixture_name, node_of
from protodoubles._internal.annotate.resolve import Resolver, is_generator, own_nodes
from protodoubles._internal.annotate.typeref import TypeRef


@dataclass(frozen=True)
class Edit:
    line: int  # 1-based
    column: int  # in characters
    text: str
    what: str  # how --check lists it


@dataclass
class Plan:
    source: Source
    edits: list[Edit] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)  # bound name -> full path
    reports: list[str] = field(default_factory=list)

    def render(self) -> str:
        """The file with every edit applied."""
        lines = self.source.text.splitlines(keepends=True)
        for edit in sorted(self.edits, key=lambda e: (e.line, e.column), reverse=True):
            line = lines[edit.line - 1]
            lines[edit.line - 1] = line[: edit.column] + edit.text + line[edit.column :]
        if self.imports:
            at = _import_line(self.source.tree)
            if at == 0 and lines and lines[0].startswith("#"):
                at = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))  # shebang, coding, licence
            added = [line + "\n" for line in _import_statements(self.imports)]
            if at < len(lines) and lines[at].strip() and not lines[at].startswith(("import ", "from ")):
                added.append("\n")  # a file that starts with code: keep the imports apart from it
            lines[at:at] = added
        return "".join(lines)


def _import_statements(imports: dict[str, str]) -> list[str]:
    plain = sorted(f"import {full}" if full == name else f"import {full} as {name}" for name, full in imports.items() if "." not in full)
    grouped: dict[str, list[str]] = {}
    for name, full in imports.items():
        if "." in full:
            module, _, member = full.rpartition(".")
            grouped.setdefault(module, []).append(member if member == name else f"{member} as {name}")
    return plain + [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(grouped.items())]


def _import_line(tree: ast.Module) -> int:
    """Where new imports go (0-based line index): after the last import at the top of the file, else after
    the docstring, else at the top."""
    after = 0
    for index, node in enumerate(tree.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            after = node.end_lineno or node.lineno
        elif index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            after = node.end_lineno or node.lineno
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            break
    return after


def _char_column(source: Source, line: int, byte_column: int) -> int:
    text = source.text.splitlines()[line - 1]
    return len(text.encode("utf-8")[:byte_column].decode("utf-8"))


def _closing_parens(source: Source) -> dict[int, tuple[int, int]]:
    """For each ``def`` line, where the ``)`` that closes its parameters is."""
    found: dict[int, tuple[int, int]] = {}
    tokens = list(tokenize.generate_tokens(io.StringIO(source.text).readline))
    for index, token in enumerate(tokens):
        if token.type == tokenize.NAME and token.string == "def":
            depth = 0
            for later in tokens[index + 2 :]:
                if later.type == tokenize.OP and later.string in "([{":
                    depth += 1
                elif later.type == tokenize.OP and later.string in ")]}":
                    depth -= 1
                    if depth == 0:
                        found[token.start[0]] = later.end
                        break
    return found


def _parametrized(function: griffe.Function) -> set[str]:
    names: set[str] = set()
    for decorator in function.decorators:
        if decorator.callable_path.endswith("mark.parametrize") and isinstance(decorator.value, griffe.ExprCall):
            first = decorator.value.arguments[0] if decorator.value.arguments else None
            try:
                value = ast.literal_eval(str(first))
            except (ValueError, SyntaxError):
                continue
            items = value.split(",") if isinstance(value, str) else value if isinstance(value, (list, tuple)) else []
            names |= {str(item).strip() for item in items}
    return names


def _is_test(function: griffe.Function, owner: griffe.Class | None) -> bool:
    return function.name.startswith("test") and (owner is None or owner.name.startswith("Test"))


class Planner:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def plan(self, source: Source) -> Plan:
        plan = Plan(source)
        parens = _closing_parens(source)
        places: list[tuple[griffe.Function, griffe.Class | None]] = []
        for member in source.module.members.values():
            if isinstance(member, griffe.Function):
                places.append((member, None))
            elif isinstance(member, griffe.Class) and not member.is_alias:
                places += [(m, member) for m in member.members.values() if isinstance(m, griffe.Function)]
        for function, owner in sorted(places, key=lambda p: p[0].lineno or 0):
            name = fixture_name(function)
            if name is not None or _is_test(function, owner):
                self._function(plan, function, owner, name, parens)
        return plan

    def _function(
        self, plan: Plan, function: griffe.Function, owner: griffe.Class | None, name: str | None, parens: dict[int, tuple[int, int]]
    ) -> None:
        node = node_of(function)
        scopes = self.resolver.scopes(plan.source, owner)
        fixture = scopes[0].fixtures.get(name) if name is not None else None
        fixture = fixture if fixture is not None and fixture.node is node else None
        arguments = node.args.posonlyargs + node.args.args
        defaults = len(node.args.defaults)
        is_method = owner is not None and "staticmethod" not in function.labels
        skip = _parametrized(function)
        for position, argument in enumerate(arguments):
            has_default = position >= len(arguments) - defaults
            if (is_method and position == 0) or has_default or argument.annotation is not None or argument.arg in skip:
                continue
            self._check_cycles(argument.arg, fixture, scopes, (fixture,) if fixture else ())
            found = self.resolver.request(argument.arg, fixture, scopes, 0, ())
            where = f"{plan.source.path}:{argument.lineno}: {function.name}({argument.arg})"
            if isinstance(found, str):
                plan.reports.append(f"{where}: not annotated: {found}")
            elif self._bind(plan, found, where):
                column = _char_column(plan.source, argument.end_lineno or argument.lineno, argument.end_col_offset or 0)
                plan.edits.append(Edit(argument.end_lineno or argument.lineno, column, f": {found.text}", f"{where}: {found.text}"))
        if name is None and node.returns is None and not _returns_a_value(node) and node.lineno in parens:
            line, column = parens[node.lineno]
            plan.edits.append(Edit(line, column, " -> None", f"{plan.source.path}:{node.lineno}: {function.name}() -> None"))

    def _check_cycles(self, name: str, requester: Fixture | None, scopes: list[Scope], stack: tuple[Fixture, ...]) -> None:
        index = next((i for i, s in enumerate(scopes) if requester is not None and s.fixtures.get(requester.name) is requester), 0)
        found = self.resolver.lookup(name, scopes, index + 1 if requester is not None and requester.name == name else index)
        if found is None or isinstance(found, TypeRef):
            return
        fixture, at = found
        if fixture in stack:
            cycle = " -> ".join(f.name for f in (*stack[stack.index(fixture) :], fixture))
            raise AnnotateError(f"{fixture.source.path}:{fixture.node.lineno}: fixture cycle: {cycle}")
        inner = scopes[at:]
        for argument in fixture.node.args.posonlyargs + fixture.node.args.args:
            if argument.arg not in ("self", "cls"):
                self._check_cycles(argument.arg, fixture, inner, (*stack, fixture))

    def _bind(self, plan: Plan, found: TypeRef, where: str) -> bool:
        """Plan the imports ``found`` needs in this file; False (and a report) if a name is bound otherwise."""
        needed: dict[str, str] = {}
        for name, full in found.names:
            bound = binding(plan.source.module, name)
            if full is None:
                if bound is not None:
                    plan.reports.append(f"{where}: not annotated: {name!r} is rebound in this file")
                    return False
                continue
            if bound == full or plan.imports.get(name) == full:
                continue
            if bound is not None or name in plan.imports:
                plan.reports.append(f"{where}: not annotated: the type needs {name!r} from {full}, and this file binds {name!r} otherwise")
                return False
            needed[name] = full
        plan.imports.update(needed)
        return True


def _returns_a_value(node: FunctionNode) -> bool:
    return is_generator(node) or any(isinstance(n, ast.Return) and n.value is not None for n in own_nodes(node))
