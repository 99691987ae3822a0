"""The byok command line end to end: a real process, the real SDK, the loopback server."""

from __future__ import annotations

import os
import subprocess
import sys

from byok.providers import PROVIDERS
from tests.loopback import LoopbackServer, Reply


def clean_env(**extra: str) -> dict[str, str]:
    names = {n for spec in PROVIDERS.values() for n in (*spec.key_env, spec.base_url_env)}
    env = {k: v for k, v in os.environ.items() if k not in names}
    return {**env, **extra}


def byok(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "byok", *args], env=env, capture_output=True, text=True, timeout=60)


def test_chat_streams_a_reply_from_the_loopback_server(server: LoopbackServer) -> None:
    server.script("openai", Reply(text="streamed over the wire", usage=(7, 4)))
    env = clean_env(OPENAI_API_KEY="sk-e2e-0123456789abcdef", OPENAI_BASE_URL=server.base_url("openai"))
    done = byok("chat", "hello", "--provider", "openai", env=env)
    assert (done.returncode, done.stdout) == (0, "streamed over the wire\n")
    assert done.stderr.startswith("[openai/gpt-4.1-nano: 7 in, 4 out, $")
    assert "sk-e2e-0123456789abcdef" not in done.stdout + done.stderr
    assert server.requests("openai")[0].body["messages"] == [{"role": "user", "content": "hello"}]


def test_chat_reports_a_network_failure(server: LoopbackServer) -> None:
    server.script("openai", Reply(status=503))
    env = clean_env(OPENAI_API_KEY="sk-e2e-0123456789abcdef", OPENAI_BASE_URL=server.base_url("openai"))
    done = byok("chat", "hello", env=env)
    assert done.returncode == 4
    assert "all 1 provider attempt(s) failed" in done.stderr


def test_route_works_offline_with_no_keys() -> None:
    done = byok("route", "hi", env=clean_env())
    assert done.returncode == 0
    assert "no keys set" in done.stdout
    assert len([line for line in done.stdout.splitlines() if line[:1].isdigit()]) == len(PROVIDERS)


def test_chat_with_no_keys_exits_3() -> None:
    done = byok("chat", "hi", env=clean_env())
    assert done.returncode == 3
    assert "OPENAI_API_KEY" in done.stderr
