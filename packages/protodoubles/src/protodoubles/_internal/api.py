"""The generator as functions: ``generate`` gives a protocol's text, ``check`` compares the configured
protocols with their files. Both return values and print nothing; bad input is a ``GenerationError``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from protodoubles._internal.config import Options, read_project
from protodoubles._internal.gen.results import Generated, StaleProtocol
from protodoubles._internal.root import find_root

__all__ = ["CheckResult", "Generated", "Options", "StaleProtocol", "check", "generate"]


@dataclass(frozen=True)
class CheckResult:
    """The configured protocols compared with their files."""

    stale: tuple[StaleProtocol, ...]
    fresh: tuple[Path, ...]

    @property
    def ok(self) -> bool:
        return not self.stale


def generate(target: str | Options, *, root: str | Path | None = None) -> Generated:
    """The protocol of ``target`` (``"package.module:Class"``, ``"path/to/file.py:Class"`` or ``Options``),
    read statically in the project at ``root`` (default: found from the current folder). Nothing is written."""
    from protodoubles._internal.gen.run import render

    project = read_project(_root(root))
    options = target if isinstance(target, Options) else Options(target, regenerate=project.command)
    return render(options, project).generated


def check(root: str | Path | None = None) -> CheckResult:
    """Every target under ``[tool.gen_protocol]`` of the project at ``root`` compared with its file.
    Freshness is recorded in the project's cache folder, so an unchanged target is not generated again."""
    from protodoubles._internal.gen.run import check_all

    project = read_project(_root(root))
    checked = check_all(project.targets, project, keep_records=True)
    return CheckResult(checked.stale, checked.fresh)


def _root(root: str | Path | None) -> Path:
    return Path(root).resolve() if root is not None else find_root(Path.cwd())
