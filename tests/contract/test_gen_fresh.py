"""``--check`` skips a target whose output, sources, generator and search path are all as they were when
it was last written or found fresh (protodoubles._internal.gen.check.fresh), and only then."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from protodoubles._internal.gen.check import fresh

from tests.contract.conftest import GenRunner

SOURCE = "class Client:\n    def ask(self, prompt: str) -> str:\n        return prompt\n"
CONFIG = "[[tool.gen_protocol.targets]]\nsource = 'client.py:Client'\noutput = 'client_protocol.py'\n"


@pytest.fixture
def project(tmp_path: Path, gen: GenRunner) -> Path:
    (tmp_path / "client.py").write_text(SOURCE)
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    assert gen(cwd=tmp_path).code == 0
    assert (tmp_path / fresh.CACHE / fresh.FILE).is_file()
    return tmp_path


def _no_render(*args: object) -> None:
    raise AssertionError("rendered although the record says fresh")


def test_a_recorded_fresh_target_is_not_generated_again(project: Path, gen: GenRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("protodoubles._internal.gen.cli.render", _no_render)
    run = gen("--check", cwd=project)
    assert (run.code, run.out.strip()) == (0, "gen_protocol: 1 protocol(s) fresh")


def test_a_changed_source_is_generated_and_its_drift_reported(project: Path, gen: GenRunner) -> None:
    (project / "client.py").write_text(SOURCE.replace("prompt: str) -> str", "prompt: str, n: int) -> str"))
    run = gen("--check", cwd=project)
    assert run.code == 1
    assert "  - ClientProtocol.ask(n): required parameter added" in run.out, run.out


def test_a_hand_edited_output_is_generated_and_reported(project: Path, gen: GenRunner) -> None:
    output = project / "client_protocol.py"
    output.write_text(output.read_text().replace("-> str: ...", "-> bytes: ..."))
    assert gen("--check", cwd=project).code == 1
    output.unlink()
    assert gen("--check", cwd=project).code == 1


def test_a_changed_generator_or_search_path_forgets_the_record(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = next(iter(fresh._load(project)))
    assert fresh.known_fresh(project, key)
    monkeypatch.setattr(fresh, "_generator", lambda: "another generator")
    assert not fresh.known_fresh(project, key)
    monkeypatch.undo()
    record = fresh._load(project)[key]
    assert isinstance(record, dict) and isinstance(record["folders"], dict) and record["folders"]
    changed = next(iter(record["folders"]))

    def mtime(folder: str) -> int | None:  # the name of the real function's parameter: the plugin checks it
        return -1 if folder == changed else os.stat(folder).st_mtime_ns

    monkeypatch.setattr(fresh, "_mtime", mtime)
    assert not fresh.known_fresh(project, key)


def test_an_unreadable_record_is_ignored(project: Path, gen: GenRunner) -> None:
    (project / fresh.CACHE / fresh.FILE).write_text("{not json")
    assert not fresh.known_fresh(project, "anything")
    assert gen("--check", cwd=project).code == 0


def test_only_configured_targets_keep_records(project: Path, gen: GenRunner) -> None:
    """A one-off TARGET run leaves no record, and a record of a target no longer configured is dropped."""
    before = set(fresh._load(project))
    (project / "other.py").write_text(SOURCE.replace("Client", "Other"))
    assert gen("other.py:Other", "-o", "other_protocol.py", cwd=project).code == 0
    assert gen("other.py:Other", "-o", "other_protocol.py", "--check", cwd=project).code == 0
    assert set(fresh._load(project)) == before
    (project / "pyproject.toml").write_text(
        CONFIG.replace("client.py:Client", "other.py:Other").replace("client_protocol", "other_protocol")
    )
    assert gen(cwd=project).code == 0
    after = set(fresh._load(project))
    assert len(after) == 1 and after.isdisjoint(before)


def test_a_check_whose_targets_are_all_recorded_fresh_does_not_load_the_generator(project: Path) -> None:
    """The warm gate's gen_protocol --check: griffe and the render stages are imported only to render."""
    probe = "import sys\nfrom protodoubles._internal.gen.cli import main\nprint(main(['--check']), 'griffe' in sys.modules)\n"

    def run() -> str:
        done = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, timeout=120, check=False)
        return done.stdout.splitlines()[-1]

    assert run().startswith("0 ")  # recorded by the fixture's run, or (another search path) compared and recorded now
    assert run() == "0 False"
    (project / "client.py").write_text(SOURCE.replace("-> str", "-> bytes"))
    assert run() == "1 True"


def test_a_changed_module_read_only_as_text_forgets_the_record(tmp_path: Path, gen: GenRunner) -> None:
    """``shop.types`` is read as text only, to follow ``Money`` to where it is defined; moving ``Money`` out
    changes the protocol's import, so the record that hashed shop/types.py no longer holds."""
    shop = tmp_path / "shop"
    shop.mkdir()
    (shop / "__init__.py").write_text("")
    (shop / "_money.py").write_text("class Money: ...\n")
    (shop / "_cash.py").write_text("class Money: ...\n")
    (shop / "types.py").write_text("from shop._money import Money as Money\n")
    (shop / "cart.py").write_text("from shop.types import Money\n\nclass Cart:\n    def total(self) -> Money: ...\n")
    (tmp_path / "pyproject.toml").write_text("[[tool.gen_protocol.targets]]\nsource = 'shop.cart:Cart'\noutput = 'cart_protocol.py'\n")
    assert gen(cwd=tmp_path).code == 0
    assert "from shop._money import Money" in (tmp_path / "cart_protocol.py").read_text()
    (shop / "types.py").write_text("from shop._cash import Money as Money\n")
    run = gen("--check", cwd=tmp_path)
    assert run.code == 1, run.out
