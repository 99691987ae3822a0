"""protodoubles as another project installs it, each in a fresh virtual environment made for the session:

- ``pip install packages/protodoubles`` brings no LLM SDK and no project built on the tool;
- in a ``src/``-layout project with nothing but the tool installed, ``gen-protocol`` writes a protocol that
  passes ``mypy --strict`` and that the class satisfies;
- after ``pip install -e``, mypy and basedpyright see the package and name a drift in a test that uses ``double()``;
- annotate-fixtures types an untyped suite so mypy names its drift, and the plugin fails a test that
  swallowed a misused double;
- the pre-commit hooks run in the project's own environment;
- LICENSE and CHANGELOG ship; the tool's own tests pass with nothing of this repository installed but it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from _support import CART

TOOL = Path(__file__).resolve().parent.parent  # packages/protodoubles
REPOSITORY = TOOL.parent.parent
pytestmark = pytest.mark.adoption


@dataclass(frozen=True)
class Venv:
    folder: Path

    @property
    def python(self) -> str:
        return str(self.folder / "bin" / "python")

    def run(
        self, *args: str, cwd: Path | None = None, check: bool = True, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = [args[0] if os.sep in args[0] else str(self.folder / "bin" / args[0]), *args[1:]]
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=check, timeout=600, env=env)


def _make_venv(folder: Path, *install: str) -> Venv:
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=300)
    venv = Venv(folder)
    done = venv.run("python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *install, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return venv


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """``pip install packages/protodoubles[pytest]``: a regular install, nothing else."""
    return _make_venv(tmp_path_factory.mktemp("installed"), f"{TOOL}[pytest]")


@pytest.fixture(scope="module")
def editable(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """``pip install -e packages/protodoubles``."""
    return _make_venv(tmp_path_factory.mktemp("editable"), "-e", str(TOOL))


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A user's ``src/``-layout project, built with hatchling, its tests in ``tests/``."""
    root = tmp_path / "shop"
    (root / "src" / "shop").mkdir(parents=True)
    (root / "src" / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (root / "src" / "shop" / "py.typed").write_text("", encoding="utf-8")
    (root / "src" / "shop" / "cart.py").write_text(CART, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        textwrap.dedent("""\
            [project]
            name = "shop"
            version = "1.0"

            [build-system]
            requires = ["hatchling"]
            build-backend = "hatchling.build"

            [tool.hatch.build.targets.wheel]
            packages = ["src/shop"]

            [[tool.gen_protocol.targets]]
            source = "shop.cart:Cart"
            output = "tests/protocols/cart_protocol.py"
            """),
        encoding="utf-8",
    )
    return root


def _mypy(python: str, *files: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """This repository's mypy, checking ``files`` against the packages of interpreter ``python``."""
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-executable", python, *map(str, files)]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, timeout=600, env={**os.environ, "MYPYPATH": str(cwd / "src")}
    )


def test_installing_the_tool_brings_no_llm_sdk_and_no_project_on_top(installed: Venv) -> None:
    listing = "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'].lower() for d in m.distributions()))"
    names = set(installed.run("python", "-c", listing, cwd=installed.folder).stdout.split())  # not this checkout: its egg-info
    assert "protodoubles" in names
    assert names.isdisjoint({"openai", "anthropic", "byok-contracts", "httpx", "httpx2"}), names
    assert "mypy" in names  # the standard library's stubs come from its typeshed
    assert not (installed.folder / "bin" / "byok").exists()
    assert (installed.folder / "bin" / "gen-protocol").exists() and (installed.folder / "bin" / "annotate-fixtures").exists()
    assert installed.run("python", "-c", "import byok", cwd=installed.folder, check=False).returncode != 0


def test_gen_protocol_in_a_src_layout_writes_a_protocol_mypy_accepts_with_the_class(installed: Venv, shop: Path) -> None:
    done = installed.run("gen-protocol", cwd=shop, check=False)
    assert done.returncode == 0, done.stderr
    output = shop / "tests" / "protocols" / "cart_protocol.py"
    assert "# Regenerate with: gen-protocol\n" in output.read_text(encoding="utf-8")
    check = shop / "tests" / "check_cart.py"
    check.write_text(
        "from shop.cart import Cart\nfrom tests.protocols.cart_protocol import CartProtocol\n\nheld: CartProtocol = Cart('me')\n",
        encoding="utf-8",
    )
    (shop / "tests" / "__init__.py").write_text("", encoding="utf-8")
    (shop / "tests" / "protocols" / "__init__.py").write_text("", encoding="utf-8")
    report = _mypy(installed.python, output, check, cwd=shop)
    assert report.returncode == 0, report.stdout


TILL_FILES = {
    "src/shop/__init__.py": "from ._money import *\nfrom ._tools import list as list\n",
    "src/shop/_money.py": "__all__ = ['Money']\n\nclass Money:\n    def __init__(self, cents: int) -> None:\n        self.cents = cents\n",
    "src/shop/_tools.py": "def list(*names: str) -> str:\n    return ', '.join(names)\n",
    "src/shop/till.py": "from shop import Money\n\nclass Till:\n    def take(self, amount: Money) -> list[Money]:\n        return [amount]\n",
    "pyproject.toml": "[project]\nname = 'shop'\nversion = '1.0'\n\n"
    "[[tool.gen_protocol.targets]]\nsource = 'shop.till:Till'\noutput = 'tests/protocols/till_protocol.py'\n",
}


@pytest.mark.parametrize("venv_name", ["installed", "editable"])
def test_a_package_that_re_exports_by_wildcard_in_a_user_s_project(venv_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Installed plainly and with -e: a target whose annotation names a type the package re-exports with
    ``from ._money import *``, in a package that also exports a function named ``list``. The protocol imports
    ``Money`` from where it is defined and keeps ``list`` the builtin; the pyproject tables are recorded;
    ``--check`` finds it fresh; mypy accepts the class."""
    venv: Venv = request.getfixturevalue(venv_name)
    for name, text in TILL_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = venv.run("gen-protocol", cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    output = tmp_path / "tests" / "protocols" / "till_protocol.py"
    protocol = output.read_text(encoding="utf-8")
    assert "from shop._money import Money" in protocol and "def take(self, amount: Money) -> list[Money]: ..." in protocol, protocol
    assert "shop._tools" not in protocol, protocol
    assert (tmp_path / ".protodoubles_cache" / "pyproject.json").is_file()
    checked = venv.run("gen-protocol", "--check", cwd=tmp_path, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    check = tmp_path / "check_till.py"
    check.write_text("from shop.till import Till\nfrom tests.protocols.till_protocol import TillProtocol\n\nheld: TillProtocol = Till()\n")
    for package in (tmp_path / "tests", tmp_path / "tests" / "protocols"):
        (package / "__init__.py").write_text("", encoding="utf-8")
    report = _mypy(venv.python, output, check, cwd=tmp_path)
    assert report.returncode == 0, report.stdout


def test_after_an_editable_install_mypy_names_a_drift_in_a_test_using_double(editable: Venv, shop: Path) -> None:
    assert editable.run("gen-protocol", cwd=shop, check=False).returncode == 0
    (shop / "tests" / "__init__.py").write_text("", encoding="utf-8")
    (shop / "tests" / "protocols" / "__init__.py").write_text("", encoding="utf-8")
    test = shop / "tests" / "test_cart.py"
    test.write_text(
        textwrap.dedent("""\
            from protodoubles import double, mock_of

            from tests.protocols.cart_protocol import CartProtocol


            def test_checkout() -> None:
                cart = double(CartProtocol)
                mock_of(cart.add).returns(1)
                cart.checkout()  # DRIFT: Cart has no checkout
            """),
        encoding="utf-8",
    )
    report = subprocess.run(
        [editable.python, "-m", "mypy", "--strict", "--no-incremental", str(test)],
        cwd=shop, capture_output=True, text=True, check=False, timeout=600, env={**os.environ, "MYPYPATH": str(shop / "src")},
    )  # fmt: skip
    assert 'test_cart.py:9: error: "CartProtocol" has no attribute "checkout"  [attr-defined]' in report.stdout, report.stdout
    assert "import-not-found" not in report.stdout and "import-untyped" not in report.stdout
    assert report.stdout.count("error:") == 1, report.stdout
    pyright = shutil.which("basedpyright", path=str(Path(sys.executable).parent))
    assert pyright is not None, "basedpyright (the dev extra) checks pyright's view of the editable install"
    seen = subprocess.run(
        [pyright, "--pythonpath", editable.python, str(test)],
        cwd=shop, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert 'test_cart.py:9:10 - error: Cannot access attribute "checkout" for class "CartProtocol"' in seen.stdout, seen.stdout
    assert "reportMissingImports" not in seen.stdout and "reportMissingModuleSource" not in seen.stdout, seen.stdout


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True, capture_output=True, timeout=120)


def test_the_hooks_run_in_the_project_s_own_environment(installed: Venv, shop: Path, tmp_path: Path) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(REPOSITORY / ".pre-commit-hooks.yaml", hooks / ".pre-commit-hooks.yaml")
    _git("init", "-q", cwd=hooks)
    _git("add", ".", cwd=hooks)
    _git("commit", "-qm", "hooks", cwd=hooks)
    assert installed.run("gen-protocol", cwd=shop, check=False).returncode == 0
    _git("init", "-q", cwd=shop)
    _git("add", ".", cwd=shop)
    env = {**os.environ, "PATH": f"{installed.folder / 'bin'}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path / "pc")}
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), "gen-protocol-check", "--all-files"]
    fresh = subprocess.run(command, cwd=shop, capture_output=True, text=True, check=False, timeout=600, env=env)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert not any((tmp_path / "pc").glob("repo*/py_env-*")), "the hook got an environment of its own"
    cart = shop / "src" / "shop" / "cart.py"
    cart.write_text(cart.read_text(encoding="utf-8").replace("def add(", "def put("), encoding="utf-8")
    _git("add", ".", cwd=shop)
    stale = subprocess.run(command, cwd=shop, capture_output=True, text=True, check=False, timeout=600, env=env)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "cart_protocol.py: stale; regenerate with: gen-protocol" in stale.stdout


def test_the_distribution_ships_its_licence_and_changelog(installed: Venv) -> None:
    code = "import importlib.metadata as m; d = m.distribution('protodoubles'); print(d.metadata['License-Expression']); print([str(f) for f in d.files if 'LICENSE' in str(f)])"
    shown = installed.run("python", "-c", code).stdout
    assert shown.startswith("MIT\n") and "LICENSE" in shown
    version = installed.run("python", "-c", "import protodoubles; print(protodoubles.__version__)").stdout.strip()
    assert f"## {version}" in (TOOL / "CHANGELOG.md").read_text(encoding="utf-8")


def test_the_tool_s_own_tests_pass_with_only_the_tool_installed(installed: Venv, tmp_path: Path) -> None:
    copy = tmp_path / "protodoubles"
    shutil.copytree(TOOL, copy, ignore=shutil.ignore_patterns("src", "*.egg-info", "__pycache__"))
    # the builders' tests need the SDKs of the [openai] and [anthropic] extras, which this install leaves out on purpose
    ignore = "--ignore=tests/test_builders.py"
    done = installed.run(
        "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not adoption", ignore, "tests", cwd=copy, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout


def test_annotate_fixtures_and_the_plugin_work_in_the_user_s_project(installed: Venv, shop: Path) -> None:
    """An untyped suite in the user's style: annotate-fixtures types it so mypy names the drift, and the
    plugin fails a test that swallowed a misused double."""
    assert installed.run("gen-protocol", cwd=shop, check=False).returncode == 0
    tests = shop / "tests"
    (tests / "__init__.py").write_text("", encoding="utf-8")
    (tests / "protocols" / "__init__.py").write_text("", encoding="utf-8")
    (tests / "conftest.py").write_text(
        textwrap.dedent("""\
            import pytest
            from protodoubles import double

            from tests.protocols.cart_protocol import CartProtocol


            @pytest.fixture
            def cart() -> CartProtocol:
                return double(CartProtocol)
            """),
        encoding="utf-8",
    )
    (tests / "test_cart.py").write_text(
        textwrap.dedent("""\
            def test_add(cart):
                cart.add_item("apple")  # DRIFT: Cart has add, not add_item


            def test_swallowed(cart):
                try:
                    cart.add_item("pear")
                except BaseException:
                    pass
            """),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(shop / "src")}
    before = _mypy(installed.python, tests / "test_cart.py", cwd=shop).stdout
    assert "add_item" not in before, before  # untyped: mypy sees nothing behind the fixture
    annotated = installed.run("annotate-fixtures", "tests", cwd=shop, check=False)
    assert annotated.returncode == 0, annotated.stderr
    assert "def test_add(cart: CartProtocol) -> None:" in (tests / "test_cart.py").read_text(encoding="utf-8")
    report = _mypy(installed.python, tests / "test_cart.py", cwd=shop)
    errors = [line.split(": error: ")[0].rsplit(":", 1)[1] for line in report.stdout.splitlines() if ": error: " in line]
    assert errors == ["4", "9"], report.stdout  # both drifted lines (the annotation's import moved them down two)
    assert report.stdout.count('"CartProtocol" has no attribute "add_item"  [attr-defined]') == 2, report.stdout
    ran = installed.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_cart.py", cwd=shop, check=False, env=env)
    assert ran.returncode == 1, ran.stdout
    swallowed = ran.stdout.split("ERROR at teardown of test_swallowed", 1)
    assert len(swallowed) == 2 and "a typed double was misused during this test" in swallowed[1], ran.stdout


ASSISTANT = '''\
"""A user's wrapper that builds its own client."""

from anthropic import AsyncAnthropic


class Assistant:
    def __init__(self, key: str) -> None:
        self.client = AsyncAnthropic(api_key=key)

    async def ask(self, question: str) -> str:
        reply = await self.client.messages.create(model="claude-x", max_tokens=64, messages=[{"role": "user", "content": question}])
        return "".join(block.text for block in reply.content if block.type == "text")
'''
ASSISTANT_TEST = """\
import asyncio

from anthropic import AsyncAnthropic
from protodoubles import double, inject, mock_of
from protodoubles.builders import anthropic as claude

import assistant
from client_protocol import AnthropicClientProtocol


def test_ask() -> None:
    client = double(AnthropicClientProtocol)
    mock_of(client.messages.create).returns(claude.message("hello"))
    with inject(AsyncAnthropic, client, into=assistant) as made:
        assert asyncio.run(assistant.Assistant("k").ask("hi")) == "hello"
    made.assert_called_once_with(api_key="k")
"""
MISSPELT_TEST = """\
from anthropic.types import Message
from protodoubles import double, mock_of
from protodoubles.builders import anthropic as claude

from client_protocol import AnthropicClientProtocol


def test_a_reply_with_a_misspelt_key() -> None:
    data = claude.message("hello").model_dump()
    data["stop_reasn"] = data.pop("stop_reason")
    mock_of(double(AnthropicClientProtocol).messages.create).returns(Message.model_validate(data))
"""


def test_inject_and_the_builders_in_a_user_s_project_with_the_extras(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    """`pip install -e 'protodoubles[pytest,anthropic]'`: a user's wrapper that builds its own SDK client gets a
    double through inject(), stubbed with a builder; a drifted keyword in the wrapper fails the test, and so
    does a stub validated from a dict with a misspelt key."""
    venv = _make_venv(tmp_path_factory.mktemp("extras"), "-e", f"{TOOL}[pytest,anthropic]")
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.gen_protocol.targets]]\nsource = "anthropic:AsyncAnthropic"\noutput = "client_protocol.py"\n'
        'name = "AnthropicClientProtocol"\nfollow = ["messages"]\n',
        encoding="utf-8",
    )
    (tmp_path / "assistant.py").write_text(ASSISTANT, encoding="utf-8")
    (tmp_path / "test_assistant.py").write_text(ASSISTANT_TEST, encoding="utf-8")
    generated = venv.run("gen-protocol", cwd=tmp_path, check=False)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    command = ("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_assistant.py")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    ran = venv.run(*command, cwd=tmp_path, check=False, env=env)
    assert ran.returncode == 0 and "1 passed" in ran.stdout, ran.stdout + ran.stderr
    (tmp_path / "assistant.py").write_text(ASSISTANT.replace("max_tokens=64", "max_token=64"), encoding="utf-8")
    drifted = venv.run(*command, cwd=tmp_path, check=False, env=env)
    assert drifted.returncode == 1 and "DoubleSignatureError" in drifted.stdout, drifted.stdout
    # an SDK object validated from a dict with a misspelt key (the SDK keeps unknown keys) is refused as a stub
    (tmp_path / "test_misspelt.py").write_text(MISSPELT_TEST, encoding="utf-8")
    misspelt = venv.run(*command[:-1], "test_misspelt.py", cwd=tmp_path, check=False, env=env)
    assert misspelt.returncode == 1 and "Message was given key(s) it does not declare: 'stop_reasn'" in misspelt.stdout, misspelt.stdout
