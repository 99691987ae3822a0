"""Protocol families (``--follow PATH[=NAME]``, ``follow = [...]``): one protocol per class along each
path, children typed into their parents, predictable names, nearest-match errors, and ``--check``."""

from __future__ import annotations

from pathlib import Path

import pytest
from protodoubles import GenerationError
from protodoubles._internal.gen.render.family import parse_follow

from tests.contract.conftest import ROOT, GenRunner, MypyRunner
from tests.corpus.checkers import run_pyright

SAMPLE = "tests/contract/samples/family.py:Client"
FOLLOW = ("--follow", "chat.completions", "--follow", "models", "--follow", "legacy")

SOURCE = """\
from functools import cached_property


class Completions:
    async def create(self, *, prompt: str) -> str:
        return prompt


class Chat:
    completions: Completions


class Client:
    @cached_property
    def chat(self) -> Chat:
        return Chat()
"""


@pytest.fixture
def family(gen: GenRunner) -> str:
    run = gen(SAMPLE, *FOLLOW)
    assert run.code == 0, run.err
    return run.out


def test_one_protocol_per_class_along_each_path_children_typed_into_parents(family: str) -> None:
    assert '__all__ = ["ClientProtocol", "ChatProtocol", "ChatCompletionsProtocol", "ModelsProtocol", "LegacyProtocol"]' in family
    for typed in (
        "    @property\n    def chat(self) -> ChatProtocol: ...",  # a cached_property
        "    @property\n    def models(self) -> ModelsProtocol: ...",  # a property
        "    @property\n    def completions(self) -> ChatCompletionsProtocol: ...",  # a plain attribute: read-only
        "    @property\n    def legacy(self) -> LegacyProtocol: ...",
    ):
        assert typed in family
    assert "    def close(self) -> None: ..." in family  # what is not followed is written as usual
    overloads = "    @overload\n    async def create(self, *, prompt: str, stream: Literal[False] = ...) -> Reply: ...\n"
    overloads += "    @overload\n    async def create(self, *, prompt: str, stream: Literal[True]) -> list[Chunk]: ...\n"
    assert overloads in family
    assert family.index("class ClientProtocol(") < family.index("class ChatProtocol(") < family.index("class ChatCompletionsProtocol(")


def test_names_are_predictable_and_can_be_overridden(gen: GenRunner) -> None:
    plain = gen(SAMPLE, "--follow", "models").out
    assert "class ModelsProtocol(Protocol):" in plain  # <Class>Protocol
    # two classes named Completions: each takes the CamelCase of its path (see the family fixture)
    named = gen(SAMPLE, "--name", "Api", "--follow", "chat.completions=CompletionsApi", "--follow", "chat=ChatApi", "--follow", "legacy")
    assert named.code == 0, named.err
    for line in (
        "class Api(Protocol):",
        "class ChatApi(Protocol):",
        "class CompletionsApi(Protocol):",
        "class CompletionsProtocol(Protocol):",
    ):
        assert line in named.out
    assert "    def chat(self) -> ChatApi: ..." in named.out and "    def completions(self) -> CompletionsApi: ..." in named.out


@pytest.mark.parametrize(
    ("follow", "says"),
    [
        ("chta", "Client has no attribute 'chta' (--follow chta); did you mean 'chat'?"),
        ("chat.completoins", "Chat has no attribute 'completoins' (--follow chat.completoins); did you mean 'completions'?"),
        ("chat.completions.create", "Completions.create (--follow chat.completions.create) is a method, not an attribute or property"),
        ("close", "is a method, not an attribute or property"),
        ("label", "Client.label (--follow label) has type str | None, not a single class"),
        ("chat..completions", "malformed --follow 'chat..completions'"),
        ("chat=", "the name after '=' must be an identifier"),
        ("_private", "Client has no attribute '_private'"),
    ],
)
def test_a_path_that_does_not_exist_exits_2_naming_the_nearest_matches(follow: str, says: str, gen: GenRunner, tmp_path: Path) -> None:
    out = tmp_path / "family_protocol.py"
    run = gen(SAMPLE, "--follow", follow, "-o", str(out))
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("gen_protocol: error: ") and says in run.err, run.err
    assert not out.exists()


def test_one_class_cannot_take_two_names(gen: GenRunner) -> None:
    run = gen(SAMPLE, "--follow", "chat=A", "--follow", "chat=B")
    assert run.code == 2
    assert "--follow chat=B: Chat is already named A (by chat=A)" in run.err


def test_a_path_back_to_a_class_of_the_family_reuses_its_protocol(gen: GenRunner, tmp_path: Path) -> None:
    source = tmp_path / "tree.py"
    source.write_text("from __future__ import annotations\n\n\nclass Tree:\n    parent: Tree\n    name: str\n")
    run = gen(f"{source}:Tree", "--follow", "parent.parent")
    assert run.code == 0, run.err
    assert '__all__ = ["TreeProtocol"]' in run.out
    assert "    @property\n    def parent(self) -> TreeProtocol: ..." in run.out


def test_parse_follow() -> None:
    assert parse_follow(" chat.completions = Api ").path == ("chat", "completions")
    assert parse_follow("chat.completions=Api").name == "Api"
    with pytest.raises(GenerationError, match="dotted attribute path"):
        parse_follow("chat.1x")


def test_follow_goes_with_a_target(gen: GenRunner) -> None:
    run = gen("--follow", "chat")
    assert run.code == 2 and "--follow go with a TARGET" in run.err


def test_follow_in_pyproject_targets(gen: GenRunner, tmp_path: Path) -> None:
    (tmp_path / "fam.py").write_text(SOURCE)
    config = "[[tool.gen_protocol.targets]]\nsource = 'fam.py:Client'\noutput = 'fam_protocol.py'\nfollow = {follow}\n"
    (tmp_path / "pyproject.toml").write_text(config.format(follow="['chat.completions=CreateApi']"))
    run = gen(cwd=tmp_path)
    assert run.code == 0, run.err
    text = (tmp_path / "fam_protocol.py").read_text()
    assert "class CreateApi(Protocol):" in text and "    def completions(self) -> CreateApi: ..." in text
    assert gen("--check", cwd=tmp_path).code == 0
    (tmp_path / "pyproject.toml").write_text(config.format(follow="'chat'"))
    run = gen(cwd=tmp_path)
    assert run.code == 2 and "targets[0].follow must be a list of non-empty strings" in run.err


def test_check_covers_families_and_drift_lines_name_the_classes_along_the_path(gen: GenRunner, tmp_path: Path) -> None:
    source = tmp_path / "fam.py"
    source.write_text(SOURCE)
    out = tmp_path / "fam_protocol.py"
    assert gen(f"{source}:Client", "--follow", "chat.completions", "-o", str(out)).code == 0
    assert gen(f"{source}:Client", "--follow", "chat.completions", "-o", str(out), "--check").code == 0
    source.write_text(SOURCE.replace("prompt: str) -> str", "prompt: str, seed: int = 0) -> bytes"))
    run = gen(f"{source}:Client", "--follow", "chat.completions", "-o", str(out), "--check")
    assert run.code == 1
    route = "Client.chat -> Chat.completions -> Completions: CompletionsProtocol.create"
    assert f"  - {route}: return type changed: str -> bytes" in run.out
    assert f"  - {route}(seed): optional parameter added" in run.out
    source.write_text(SOURCE.replace("    completions: Completions\n", "    completions: Completions\n    name: str\n"))
    run = gen(f"{source}:Client", "--follow", "chat.completions", "-o", str(out), "--check")
    assert "  - Client.chat -> Chat: ChatProtocol.name: member added (attribute)" in run.out


def test_the_sample_family_type_checks_and_the_real_class_is_accepted(gen: GenRunner, mypy: MypyRunner, tmp_path: Path) -> None:
    out = tmp_path / "client_family.py"
    assert gen(SAMPLE, *FOLLOW, "-o", str(out)).code == 0
    use = tmp_path / "use_client_family.py"
    use.write_text(
        "from tests.contract.samples.family import Client\n"
        "from client_family import ClientProtocol\n\n"
        "def accept(client: Client) -> ClientProtocol:\n"
        "    return client\n"
    )
    assert mypy(out, use) == (0, "")


SDK_ACCEPTANCE = """\
import anthropic
import openai

from contracts.anthropic_client_protocol import AnthropicClientProtocol
from contracts.openai_client_protocol import OpenAIClientProtocol


def accept_openai(client: openai.AsyncOpenAI) -> OpenAIClientProtocol:
    return client


def accept_anthropic(client: anthropic.AsyncAnthropic) -> AnthropicClientProtocol:
    return client
"""


def test_the_sdk_families_accept_the_real_clients_under_pyright(tmp_path: Path) -> None:
    """mypy checks the same in the gate: the adapters assign the real clients to these protocols."""
    use = tmp_path / "use_sdk_families.py"
    use.write_text(SDK_ACCEPTANCE)
    broken = tmp_path / "use_wrong_family.py"
    broken.write_text(SDK_ACCEPTANCE.replace("client: openai.AsyncOpenAI", "client: anthropic.AsyncAnthropic", 1))
    run = run_pyright(
        [use, broken, ROOT / "contracts/openai_client_protocol.py", ROOT / "contracts/anthropic_client_protocol.py"], tmp_path
    )
    assert [(d.path.name, d.line) for d in run.diagnostics] == [("use_wrong_family.py", 9)], [str(d) for d in run.diagnostics]


def test_the_sdk_families_keep_the_overloads_of_create() -> None:
    text = (ROOT / "contracts/openai_client_protocol.py").read_text()
    completions = text[text.index("class AsyncCompletionsProtocol(") : text.index("class AsyncModelsProtocol(")]
    creates = [line for line in completions.splitlines() if line.startswith("    async def create(")]
    assert len(creates) == 3 and completions.count("    @overload\n    async def create(") == 3
    assert creates[1].endswith("-> AsyncStream[ChatCompletionChunk]: ...") and "stream: Literal[True]" in creates[1]
    assert creates[0].endswith("-> ChatCompletion: ...")
    anthropic_text = (ROOT / "contracts/anthropic_client_protocol.py").read_text()
    assert anthropic_text.count("    @overload\n    async def create(") == 3
