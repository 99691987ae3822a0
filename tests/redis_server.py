"""A real ``redis-server`` on a free loopback port, in a folder of its own, for the ledger's tests.

It writes every change to its append-only file before answering, so a restart keeps what was spent (as
the README tells teams to run it). ``make install`` installs the server; a missing one fails the test
that needs it, with what to run, and never skips it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Self

INSTALL_HINT = "redis-server is not installed: run `make install` (it installs Debian's redis-server)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RedisServer:
    """``with RedisServer(folder) as redis: redis.url``; ``stop()``, ``start()`` and ``restart()`` keep
    the port and the data."""

    def __init__(self, folder: Path, fsync: str = "always") -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(INSTALL_HINT)
        self._binary = binary
        self.folder = folder
        self.port = free_port()
        self._fsync = fsync  # appendfsync: always (the tests) or everysec (Redis's default)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder), "--save", ""]
        options += ["--appendonly", "yes", "--appendfsync", self._fsync, "--protected-mode", "no", "--loglevel", "warning"]
        log = (self.folder / "server.log").open("ab")
        self._process = subprocess.Popen([self._binary, *options], stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self._process.returncode}: see {self.folder / 'server.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"redis-server did not answer on port {self.port} within 10 s")

    def stop(self) -> None:
        """Stop the server the hard way (SIGKILL): nothing it has not written already survives."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(10)
            self._process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
