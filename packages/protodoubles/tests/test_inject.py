"""inject(): code that builds its own client receives a double, with the constructor's arguments
checked against the real constructor and recorded, and the module put back afterwards."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest
import sdk_module
import wrapper_code
from generated_greeter import GreeterProtocol
from protodoubles import DoubleSignatureError, DoubleTypeError, double, expect_misuse, inject, mock_of
from wrapper_code import Client, Sender, Wrapper


def test_the_code_under_test_gets_the_double_and_its_construction_is_recorded() -> None:
    client = double(Sender)
    mock_of(client.send).returns("ok")
    with inject(Client, client, into=wrapper_code) as made:
        wrapper = Wrapper("secret-key")
        assert wrapper.shout("hi") == "ok"
    made.assert_called_once_with("secret-key", timeout=5.0)
    made.assert_called_once_with(api_key="secret-key", timeout=5.0)  # compared as bound to the signature
    mock_of(client.send).assert_called_once_with("HI", retries=2)
    assert wrapper_code.Client is Client  # put back when the block ends


def test_a_construction_off_the_real_signature_is_a_misuse() -> None:
    made = inject(Client, double(Sender), into=wrapper_code)
    try:
        with expect_misuse(
            DoubleSignatureError, match=r"Client\(\) in wrapper_code called off its signature: missing a required argument: 'api_key'"
        ):
            wrapper_code.Client(key="k")  # type: ignore[call-arg]  # the drift under test: the real parameter is api_key
    finally:
        made.undo()
    assert wrapper_code.Client is Client


def test_a_class_reached_through_an_imported_module_is_injected_there_and_put_back() -> None:
    client = double(Sender)
    real = sdk_module.Client
    with inject(real, client, into=wrapper_code) as made:
        assert sdk_module.Client is not real
        assert sdk_module.DefaultClient is sdk_module.Client  # both names of the class are replaced
        assert wrapper_code.ModuleWrapper("k").client is client
    made.assert_called_once_with("k")
    assert sdk_module.Client is real
    assert sdk_module.DefaultClient is real


def test_a_module_without_the_class_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match=r"module textwrap has no name bound to Client, and imports no module that has"):
        inject(Client, double(Sender), into=textwrap)
    with pytest.raises(TypeError, match=r"inject\(\) takes the module of the code under test as into="):
        inject(Client, double(Sender), into="wrapper_code")  # type: ignore[arg-type]  # a string target on purpose


def test_the_plugin_undoes_an_injection_the_test_left_in_place(tmp_path: Path) -> None:
    module = tmp_path / "built_here.py"
    module.write_text("class Thing:\n    def __init__(self, size: int) -> None:\n        self.size = size\n", encoding="utf-8")
    (tmp_path / "test_left.py").write_text(
        textwrap.dedent(
            """\
            import built_here
            from protodoubles import inject

            ORIGINAL = built_here.Thing

            def test_1_leaves_it_in_place() -> None:
                inject(built_here.Thing, object(), into=built_here)
                assert built_here.Thing is not ORIGINAL

            def test_2_finds_the_class_back() -> None:
                assert built_here.Thing is ORIGINAL
            """
        ),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:xdist", "test_left.py"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_undo_is_idempotent_and_leaves_a_name_rebound_since_alone() -> None:
    module = types.ModuleType("scratch")
    module.Client = Client  # type: ignore[attr-defined]  # a module built for this test
    made = inject(Client, double(Sender), into=module)
    module.Client = str  # type: ignore[attr-defined]  # rebound by someone else in between
    made.undo()
    made.undo()
    assert module.Client is str  # not clobbered


def test_a_double_of_another_family_is_refused() -> None:
    with expect_misuse(DoubleTypeError, match=r"stands for another class than Client, which has no greet"):
        inject(Client, double(GreeterProtocol), into=wrapper_code)
    assert wrapper_code.Client is Client
