"""The drift report of ``--check``: what changed between the protocol on disk and the one the source
gives now, one line per change. griffe's breaking-change finder reports what it covers (removed
members and parameters, kinds, defaults, new required parameters); the rest is compared here."""

from __future__ import annotations

from pathlib import Path

import griffe

_WHY = {
    griffe.BreakageKind.OBJECT_REMOVED: "member removed",
    griffe.BreakageKind.OBJECT_CHANGED_KIND: "member kind changed",
    griffe.BreakageKind.PARAMETER_REMOVED: "parameter removed",
    griffe.BreakageKind.PARAMETER_ADDED_REQUIRED: "required parameter added",
    griffe.BreakageKind.PARAMETER_CHANGED_KIND: "parameter kind changed",
    griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT: "parameter default changed",
    griffe.BreakageKind.PARAMETER_CHANGED_REQUIRED: "parameter made required",
    griffe.BreakageKind.PARAMETER_MOVED: "parameter moved",
    griffe.BreakageKind.ATTRIBUTE_CHANGED_TYPE: "attribute type changed",
    griffe.BreakageKind.ATTRIBUTE_CHANGED_VALUE: "attribute value changed",
    griffe.BreakageKind.RETURN_CHANGED_TYPE: "return type changed",
}


def _describe(value: object) -> str:
    if isinstance(value, griffe.Parameter):
        kind = value.kind.value if value.kind is not None else "parameter"
        return kind if value.default is None else f"{kind}, default {value.default}"
    if isinstance(value, griffe.Object):
        return value.kind.value
    return str(value)


def _load(text: str, name: str) -> griffe.Class | None:
    try:
        module = griffe.visit("generated_protocol", filepath=Path("generated_protocol.py"), code=text)
    except SyntaxError:
        return None
    found = module.members.get(name)
    return found if isinstance(found, griffe.Class) else None


def drift_lines(old_text: str | None, new_text: str, name: str) -> list[str]:
    """One line per change from ``old_text`` to ``new_text`` in protocol class ``name``."""
    new = _load(new_text, name)
    old = _load(old_text, name) if old_text is not None else None
    if new is None:
        return [f"{name}: the generated protocol does not parse (a generator bug)"]
    if old is None:
        return [f"{name}: missing from the file on disk, or the file does not parse; it would be written anew"]
    lines: list[str] = []
    renamed: set[tuple[str, str]] = set()
    for member, new_member in new.members.items():
        old_member = old.members.get(member)
        label = f"{name}.{member}"
        if old_member is None:
            lines.append(f"{label}: member added ({new_member.kind.value})")
        elif isinstance(old_member, griffe.Function) and isinstance(new_member, griffe.Function):
            lines += _compare_functions(label, old_member, new_member, renamed)
        elif (
            isinstance(old_member, griffe.Attribute)
            and isinstance(new_member, griffe.Attribute)
            and str(old_member.annotation) != str(new_member.annotation)
        ):
            lines.append(f"{label}: annotation changed: {old_member.annotation} -> {new_member.annotation}")
    for breakage in griffe.find_breaking_changes(old, new):
        obj = breakage.obj
        param = ""
        for value in (breakage.old_value, breakage.new_value):
            if isinstance(value, griffe.Parameter):
                param = value.name
        if (obj.name, param) in renamed or breakage.kind is griffe.BreakageKind.PARAMETER_CHANGED_KIND:
            continue  # kind changes both ways are reported above; griffe reports only the breaking way
        where = f"{name}.{obj.path.split(name + '.', 1)[-1]}" + (f"({param})" if param else "")
        change = _WHY.get(breakage.kind, breakage.kind.value)
        detail = ""
        if breakage.old_value is not None and breakage.new_value is not None:
            detail = f": {_describe(breakage.old_value)} -> {_describe(breakage.new_value)}"
        lines.append(f"{where}: {change}{detail}")
    return lines


def _compare_functions(label: str, old: griffe.Function, new: griffe.Function, renamed: set[tuple[str, str]]) -> list[str]:
    """What griffe's finder does not report: sync/async, return types, annotations, optional
    parameters added, parameter kinds changed in a non-breaking way, and renames (same position and
    kind, new name)."""
    lines: list[str] = []
    if ("async" in old.labels) != ("async" in new.labels):
        before, after = ("async", "sync") if "async" in old.labels else ("sync", "async")
        lines.append(f"{label}: changed from {before} to {after}")
    if str(old.returns) != str(new.returns):
        lines.append(f"{label}: return type changed: {old.returns} -> {new.returns}")
    old_params = {p.name: p for p in old.parameters}
    new_params = {p.name: p for p in new.parameters}
    for index, (before, after) in enumerate(zip(old.parameters, new.parameters, strict=False)):
        if before.name != after.name and before.kind is after.kind and after.name not in old_params and before.name not in new_params:
            lines.append(f"{label}: parameter renamed at position {index}: {before.name} -> {after.name}")
            renamed.update({(new.name, before.name), (new.name, after.name)})
    for pname, param in new_params.items():
        if (new.name, pname) in renamed:
            continue
        previous = old_params.get(pname)
        if previous is None and param.default is not None:
            lines.append(f"{label}({pname}): optional parameter added")
        elif previous is not None:
            if previous.kind is not param.kind and previous.kind is not None and param.kind is not None:
                lines.append(f"{label}({pname}): parameter kind changed: {previous.kind.value} -> {param.kind.value}")
            if str(previous.annotation) != str(param.annotation):
                lines.append(f"{label}({pname}): annotation changed: {previous.annotation} -> {param.annotation}")
    return lines


def unified_diff(old_text: str | None, new_text: str, path: str) -> str:
    import difflib  # a stale file only: not loaded on an ordinary run

    return "".join(
        difflib.unified_diff(
            (old_text or "").splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=f"{path} (on disk)",
            tofile=f"{path} (from source)",
        )
    )
