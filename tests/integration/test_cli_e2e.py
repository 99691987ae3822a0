"""The byok command line end to end: a real process, the real SDK, the loopback server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from byok.providers import PROVIDERS
from tests.loopback import LoopbackServer, Reply


def clean_env(**extra: str) -> dict[str, str]:
    names = {n for spec in PROVIDERS.values() for n in (*spec.key_env, spec.base_url_env)}
    env = {k: v for k, v in os.environ.items() if k not in names}
    return {**env, **extra}


def byok(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "byok", *args], env=env, capture_output=True, text=True, timeout=60, check=False)


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


KEY = "sk-e2e-0123456789abcdef"


def openai_env(server: LoopbackServer) -> dict[str, str]:
    return clean_env(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=server.base_url("openai"))


def assert_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


def test_a_prompt_over_128_kib_comes_through_stdin_and_file(server: LoopbackServer, tmp_path: Path) -> None:
    prompt = "long prompt " * 20_000  # 240 KB: over the 128 KiB limit of one argv string
    piped = subprocess.run(
        [sys.executable, "-m", "byok", "chat", "--no-stream"],
        input=prompt,
        env=openai_env(server),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    (tmp_path / "prompt.txt").write_text(prompt, encoding="utf-8")
    filed = byok("chat", "--no-stream", "--file", str(tmp_path / "prompt.txt"), env=openai_env(server))
    for done in (piped, filed):
        assert done.returncode == 0, done.stderr
    assert [r.body["messages"][-1]["content"] for r in server.requests("openai")] == [prompt, prompt]


def test_a_reader_that_goes_away_ends_the_command_quietly(server: LoopbackServer) -> None:
    server.script("openai", Reply(text="word " * 40_000))  # 40,000 writes: far more than a pipe holds
    process = subprocess.Popen(
        [sys.executable, "-m", "byok", "chat", "hi"], env=openai_env(server), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10) == b"word word "  # like `| head -c 10`
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 141
    assert stderr == ""


def test_ctrl_c_exits_130_with_one_line(server: LoopbackServer) -> None:
    server.script("openai", Reply(delay_s=10.0))
    # As from a terminal: Ctrl-C raises KeyboardInterrupt even when this suite runs where SIGINT is ignored (a
    # background job inherits SIG_IGN, and Python then installs no handler of its own)
    interactive = "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); sys.argv[0] = 'byok'; runpy.run_module('byok', run_name='__main__')"
    process = subprocess.Popen(
        [sys.executable, "-c", interactive, "chat", "hi"], env=openai_env(server), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while not server.requests("openai") and time.monotonic() < deadline:  # wait until the request is in flight
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert (out, err) == (b"\n" if out else b"", b"\nbyok: interrupted\n")


def test_a_full_disk_is_one_line_and_a_closed_stdout_sends_nothing(server: LoopbackServer) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "byok", "chat", "hi"],
            env=openai_env(server),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.startswith("byok: error: cannot write the output: No space left on device")
    assert_no_traceback(done.stderr)
    sent = len(server.requests("openai"))
    closed = subprocess.run(
        ["sh", "-c", f'exec "{sys.executable}" -m byok chat hi >&-'],
        env=openai_env(server),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (closed.returncode, closed.stderr) == (1, "")
    assert len(server.requests("openai")) == sent  # nothing was sent for a reply that could not be shown


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("chat", "hi", "--budget-usd", "-1"), "budget_usd must be >= 0"),
        (("chat", "hi", "--budget-usd", "nan"), "budget_usd must be a finite number"),
        (("chat", "hi", "--max-tokens", "0"), "max_tokens must be a positive int"),
        (("chat", os.fsdecode(b"bad \xff byte")), "cannot be encoded as UTF-8"),
        (("chat", "--file", "/nonexistent/prompt.txt"), "No such file or directory"),
    ],
    ids=["negative budget", "nan budget", "zero max tokens", "non-UTF-8 argv", "missing file"],
)
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], says: str, server: LoopbackServer) -> None:
    done = byok(*args, env=openai_env(server))
    assert done.returncode == 2
    assert done.stderr.startswith("byok: error: ") and says in done.stderr and done.stderr.count("\n") == 1
    assert server.requests() == []
