"""What to change in one file: an annotation for each fixture parameter of its tests and fixtures, ``-> None``
on tests, and the imports those annotations need. Nothing else in the file is touched."""

from __future__ import annotations

import ast
import builtins
import io
import re
import tokenize
from dataclasses import dataclass, field

import griffe

from protodoubles._internal.annotate.reader import Fixture, FunctionNode, Scope, Source, binding, fixture_name, node_of
from protodoubles._internal.annotate.resolve import Resolver, is_generator, own_nodes
from protodoubles._internal.annotate.typeref import TypeRef
from protodoubles._internal.errors import AnnotateError

# A PEP 484 type comment, as Python's tokenizer tells one (``# type: ignore...`` is not one): "ignore" ends
# the comment or is followed by an ASCII character that is not a letter or digit. The class is spelt as the
# ASCII ranges it holds: its negated form (every code point but letters, digits and non-ASCII) takes 30 times
# longer to compile, at every start of the tool.
_TYPE_COMMENT = re.compile(r"#[ \t]*type:(?![ \t]*ignore(?:[\x00-/:-@\[-\x60{-\x7f]|$))[ \t]*")


@dataclass(frozen=True)
class Edit:
    line: int  # 1-based
    column: int  # in characters
    text: str  # inserted at ``column``
    what: str  # how --check lists it; empty for the removal of a type comment that goes with annotations
    delete: int = 0  # characters removed from ``column`` first


@dataclass(frozen=True)
class _Signature:
    close: tuple[int, int]  # just after the ")" that closes the parameters
    comments: tuple[tokenize.TokenInfo, ...]  # its PEP 484 type comments: of parameters, then of the signature


@dataclass(frozen=True)
class _TypeComments:
    """What a function's PEP 484 type comments say, and the edits that remove them."""

    types: dict[str, str]  # parameter name -> type, as written
    returns: str | None
    removals: tuple[Edit, ...]


@dataclass
class Plan:
    source: Source
    edits: list[Edit] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)  # bound name -> full path
    reports: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # parameters annotated otherwise than their fixture gives

    def render(self) -> str:
        """The file with every edit applied."""
        lines = list(self.source.lines)
        for edit in sorted(self.edits, key=lambda e: (e.line, e.column, e.delete), reverse=True):
            line = lines[edit.line - 1]
            lines[edit.line - 1] = line[: edit.column] + edit.text + line[edit.column + edit.delete :]
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
        docstring = index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        if isinstance(node, (ast.Import, ast.ImportFrom)) or docstring:
            after = node.end_lineno or node.lineno
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            break
    return after


def _char_column(source: Source, line: int, byte_column: int) -> int:
    text = source.lines[line - 1]
    return len(text.encode("utf-8")[:byte_column].decode("utf-8"))


def _signatures(source: Source) -> dict[int, _Signature]:
    """For each ``def`` line, where the ``)`` that closes its parameters is, and its type comments."""
    found: dict[int, _Signature] = {}
    tokens = list(tokenize.generate_tokens(io.StringIO(source.text).readline))
    for index, token in enumerate(tokens):
        if token.type == tokenize.NAME and token.string == "def":
            signature = _signature(tokens, index + 2)
            if signature is not None:
                found[token.start[0]] = signature
    return found


def _signature(tokens: list[tokenize.TokenInfo], start: int) -> _Signature | None:
    """Read from the ``(`` after a function's name to the first token of its body. A type comment counts
    inside the parentheses (a parameter's) or first after the ``:`` (the signature's), as Python's parser."""
    depth, close, colon = 0, None, False
    comments: list[tokenize.TokenInfo] = []
    for index in range(start, len(tokens)):
        token = tokens[index]
        if token.type == tokenize.COMMENT:
            if (depth > 0 or colon) and _TYPE_COMMENT.match(token.string):
                comments.append(token)
                if colon:
                    break
        elif colon:
            if token.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT):
                break
        elif token.type == tokenize.OP and token.string in ("(", "[", "{"):
            depth += 1
        elif token.type == tokenize.OP and token.string in (")", "]", "}"):
            depth -= 1
            if depth == 0 and close is None:
                close = token.end
        elif token.type == tokenize.OP and token.string == ":" and depth == 0 and close is not None:
            colon = True
    return _Signature(close, tuple(comments)) if close is not None else None


def _parameters(node: FunctionNode) -> list[ast.arg]:
    """Every parameter, in the order a signature type comment lists their types."""
    args = node.args
    return [*args.posonlyargs, *args.args, *filter(None, [args.vararg]), *args.kwonlyargs, *filter(None, [args.kwarg])]


def _comment_type(comment: str) -> tuple[str, int | None]:
    """The type a type comment gives, and where a comment after it (``# type: int  # noqa``) starts."""
    match = _TYPE_COMMENT.match(comment)
    assert match is not None
    body = comment[match.end() :]
    try:
        for token in tokenize.generate_tokens(io.StringIO(body).readline):
            if token.type == tokenize.COMMENT:
                return body[: token.start[1]].strip(), match.end() + token.start[1]
    except (tokenize.TokenError, SyntaxError):
        pass
    return body.strip(), None


def _removal(comment: tokenize.TokenInfo, keep_from: int | None) -> Edit:
    """The edit that removes a type comment: the whole line if it stands alone, a comment after it kept."""
    row, column = comment.start
    if keep_from is not None:
        return Edit(row, column, "", "", delete=keep_from)
    before = comment.line[:column].rstrip()
    if not before:
        return Edit(row, 0, "", "", delete=len(comment.line))
    return Edit(row, len(before), "", "", delete=column - len(before) + len(comment.string))


def _type_comments(node: FunctionNode, signature: _Signature, is_method: bool) -> _TypeComments | str | None:
    """What the function's type comments give (None: it has none), or why they cannot be read."""
    if not signature.comments:
        return None
    parameters = _parameters(node)
    types: dict[str, str] = {}
    returns: str | None = None
    for comment in signature.comments:
        typed, _ = _comment_type(comment.string)
        if comment.start >= signature.close:  # the signature's: ``# type: (int, str) -> None``
            try:
                parsed = ast.parse(typed, mode="func_type")
            except SyntaxError:
                return f"its type comment {typed!r} cannot be read"
            returns = ast.get_source_segment(typed, parsed.returns) or ast.unparse(parsed.returns)
            given = [ast.get_source_segment(typed, t) or ast.unparse(t) for t in parsed.argtypes]
            if given == ["..."]:  # the types are in the parameters' own comments
                continue
            named = parameters[1:] if is_method and len(given) == len(parameters) - 1 else parameters
            if len(given) != len(named):
                return f"its type comment gives {len(given)} type(s) for {len(named)} parameter(s)"
            types = {**dict(zip((p.arg for p in named), given, strict=True)), **types}
        else:  # a parameter's, after it: ``a,  # type: int``
            owner = [p for p in parameters if p.lineno <= comment.start[0]]
            try:
                ast.parse(typed, mode="eval")
            except SyntaxError:
                return f"its type comment {typed!r} cannot be read"
            if not owner:
                return f"its type comment {typed!r} follows no parameter"
            types[owner[-1].arg] = typed
    return _TypeComments(types, returns, tuple(_removal(c, _comment_type(c.string)[1]) for c in signature.comments))


def _annotation(typed: str, source: Source) -> str:
    """A type from a comment as an annotation: quoted, as its names may be imported only for type checking,
    unless annotations are not evaluated (PEP 563) or it names only builtins (``None``, ``int``)."""
    future = any(
        isinstance(node, ast.ImportFrom) and node.module == "__future__" and any(a.name == "annotations" for a in node.names)
        for node in source.tree.body
    )
    try:
        names = {node.id for node in ast.walk(ast.parse(typed, mode="eval")) if isinstance(node, ast.Name)}
    except SyntaxError:
        names = {""}
    if future or all(hasattr(builtins, name) and binding(source.module, name) is None for name in names):
        return typed
    return f'"{typed}"' if '"' not in typed and "\\" not in typed else repr(typed)


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
        signatures = _signatures(source)
        places: list[tuple[griffe.Function, griffe.Class | None]] = []
        for member in source.module.members.values():
            if isinstance(member, griffe.Function):
                places.append((member, None))
            elif isinstance(member, griffe.Class) and not member.is_alias:
                places += [(m, member) for m in member.members.values() if isinstance(m, griffe.Function)]
        for function, owner in sorted(places, key=lambda p: p[0].lineno or 0):
            name = fixture_name(function)
            if name is not None or _is_test(function, owner):
                self._function(plan, function, owner, name, signatures.get(node_of(function).lineno))
        return plan

    def _function(
        self, plan: Plan, function: griffe.Function, owner: griffe.Class | None, name: str | None, signature: _Signature | None
    ) -> None:
        node = node_of(function)
        is_method = owner is not None and "staticmethod" not in function.labels
        comments = _type_comments(node, signature, is_method) if signature is not None else None
        if isinstance(comments, str):
            plan.reports.append(f"{plan.source.path}:{node.lineno}: {function.name}(): not annotated: {comments}")
            return
        scopes = self.resolver.scopes(plan.source, owner)
        fixture = scopes[0].fixtures.get(name) if name is not None else None
        fixture = fixture if fixture is not None and fixture.node is node else None
        arguments = node.args.posonlyargs + node.args.args
        defaults = len(node.args.defaults)
        skip = _parametrized(function) | set(comments.types if comments is not None else ())
        edits: list[Edit] = []
        for position, argument in enumerate(arguments):
            has_default = position >= len(arguments) - defaults
            if (is_method and position == 0) or has_default or argument.arg in skip:
                continue
            if argument.annotation is not None:
                self._compare(plan, function.name, argument, fixture, scopes)
                continue
            self._check_cycles(argument.arg, fixture, scopes, (fixture,) if fixture else ())
            found = self.resolver.request(argument.arg, fixture, scopes, 0, ())
            where = f"{plan.source.path}:{argument.lineno}: {function.name}({argument.arg})"
            if isinstance(found, str):
                plan.reports.append(f"{where}: not annotated: {found}")
            elif self._bind(plan, found, where):
                edits.append(self._after(plan.source, argument, f": {found.text}", f"{where}: {found.text}"))
        returns = comments.returns if comments is not None else None
        if name is None and node.returns is None and returns is None and not _returns_a_value(node) and signature is not None:
            edits.append(Edit(*signature.close, " -> None", f"{plan.source.path}:{node.lineno}: {function.name}() -> None"))
        if edits and comments is not None and signature is not None:  # never annotations beside a type comment
            edits += self._converted(plan.source, node, function.name, comments, signature)
        plan.edits += edits

    def _compare(self, plan: Plan, function: str, argument: ast.arg, fixture: Fixture | None, scopes: list[Scope]) -> None:
        """A parameter already annotated must say the type its fixture gives (``object`` erases it)."""
        assert argument.annotation is not None
        found = self.resolver.request(argument.arg, fixture, scopes, 0, ())
        if isinstance(found, str):
            return  # nothing known to compare with
        written = ast.unparse(argument.annotation)
        if _shape(written) != _shape(found.text):
            where = f"{plan.source.path}:{argument.lineno}: {function}({argument.arg})"
            plan.wrong.append(f"{where}: annotated {written}, but its fixture gives {found.text}")

    def _after(self, source: Source, argument: ast.arg, text: str, what: str) -> Edit:
        line = argument.end_lineno or argument.lineno
        return Edit(line, _char_column(source, line, argument.end_col_offset or 0), text, what)

    def _converted(self, source: Source, node: FunctionNode, function: str, comments: _TypeComments, signature: _Signature) -> list[Edit]:
        """The types of the function's type comments as annotations, and the removal of the comments."""
        edits = list(comments.removals)
        for argument in _parameters(node):
            typed = comments.types.get(argument.arg)
            if typed is not None and argument.annotation is None:
                where = f"{source.path}:{argument.lineno}: {function}({argument.arg}): {typed} (from its type comment)"
                edits.append(self._after(source, argument, f": {_annotation(typed, source)}", where))
        if comments.returns is not None and node.returns is None:
            where = f"{source.path}:{node.lineno}: {function}() -> {comments.returns} (from its type comment)"
            edits.append(Edit(*signature.close, f" -> {_annotation(comments.returns, source)}", where))
        return edits

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


def _shape(annotation: str) -> str:
    """An annotation compared by its names' last parts, quotes and module paths left out."""
    text = annotation.strip().strip("'\"")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return text
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = _shape(node.value)
    return re.sub(r"\b(?:[A-Za-z_][A-Za-z_0-9]*\.)+([A-Za-z_][A-Za-z_0-9]*)", r"\1", ast.unparse(tree))


def _returns_a_value(node: FunctionNode) -> bool:
    return is_generator(node) or any(isinstance(n, ast.Return) and n.value is not None for n in own_nodes(node))
