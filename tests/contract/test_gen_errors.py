"""Bad input to the generator: a clear message on stderr, exit status 2, and no partial output."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract.conftest import GenRunner

SAMPLE = "tests/contract/samples/shapes.py:Sensor"


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("no/such/file.py:Thing", "no/such/file.py: no such file"),
        ("nosuchpackage.mod:Thing", "module 'nosuchpackage.mod' not found"),
        ("tests/contract/samples/shapes.py:Sensr", "class 'Sensr' not found in 'tests.contract.samples.shapes'; did you mean 'Sensor'?"),
        ("tests/contract/samples/shapes.py:T", "'T' is an attribute, not a class"),
        ("byok.handler", "malformed target 'byok.handler'"),
        ("byok.handler:", "malformed target"),
        ("byok handler:BYOKHandler", "is not a dotted module name"),
        (":BYOKHandler", "malformed target"),
    ],
)
def test_bad_target_exits_2_with_a_clear_message(target: str, says: str, gen: GenRunner) -> None:
    run = gen(target)
    assert run.code == 2
    assert says in run.err
    assert run.err.startswith("gen_protocol: error: ")
    assert run.out == ""


def test_syntax_error_names_file_and_line(gen: GenRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("class Fine:\n    pass\n\ndef oops(:\n    pass\n")
    run = gen(f"{broken}:Fine")
    assert run.code == 2
    assert f"{broken}:4: syntax error" in run.err


def test_failed_generation_leaves_the_existing_output_untouched(gen: GenRunner, tmp_path: Path) -> None:
    out = tmp_path / "protocol.py"
    out.write_text("# the previous protocol\n")
    run = gen("tests/contract/samples/shapes.py:Missing", "-o", str(out))
    assert run.code == 2
    assert out.read_text() == "# the previous protocol\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["protocol.py"]


@pytest.mark.parametrize("where", ["missing_folder/protocol.py", "a_file/protocol.py"])
def test_unwritable_output_exits_2_and_writes_nothing(where: str, gen: GenRunner, tmp_path: Path) -> None:
    (tmp_path / "a_file").write_text("not a folder")
    run = gen(SAMPLE, "-o", str(tmp_path / where))
    assert run.code == 2
    assert "cannot write" in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_write_is_atomic(gen: GenRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "protocol.py"
    out.write_text("# before\n")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("contracts.gen.cli.os.replace", fail)
    run = gen(SAMPLE, "-o", str(out))
    assert (run.code, out.read_text()) == (2, "# before\n")
    assert "No space left on device" in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["protocol.py"]


def test_config_errors_are_clear(gen: GenRunner, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.gen_protocol]\ntargets = [{source = 'x:Y'}]\n")
    run = gen(cwd=tmp_path)
    assert run.code == 2
    assert "targets[0] needs string 'source' and 'output'" in run.err
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert "has no [[tool.gen_protocol.targets]]" in gen(cwd=tmp_path).err


def test_check_without_an_output_is_refused(gen: GenRunner) -> None:
    run = gen(SAMPLE, "--check")
    assert run.code == 2
    assert "--check needs an output file" in run.err
