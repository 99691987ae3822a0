"""A loopback HTTP server that speaks the OpenAI chat-completions and Anthropic messages wire formats.

One server hosts any number of fake providers, each under its own path prefix. By default a provider
echoes the last user message; ``script(prefix, Reply(...))`` queues scripted replies and faults for the
next requests to that prefix. Every request is recorded for assertions.

``python -m tests.loopback`` runs one in its own process (for benchmarks): it prints its port, then
serves until its stdin closes or ``--max-s`` seconds have passed.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, Self

from tests.loopback_events import Wire, anthropic_events, gzip_bomb, openai_events, sse, with_usage

Trickle = Literal["body", "keepalive", "ping"]
_UNSET: Any = object()


@dataclass(frozen=True)
class Reply:
    """One scripted answer. Unset fields keep the default echo behaviour."""

    text: str | None = None  # the reply text; default: "echo: " + the last user message
    status: int | None = None  # answer with this HTTP error status and an error body
    delay_s: float = 0.0  # wait this long before answering
    cut_after_chunks: int | None = None  # stream: drop the connection after this many text chunks
    malformed: bool = False  # answer 200 with a body that is not the wire format
    usage: tuple[int, int] | None = None  # (input, output) tokens to report; default: character counts
    no_usage: bool = False  # report no usage at all
    error_message: str | None = None  # the message of an error body; default: "scripted failure <status>"
    body: bytes | None = None  # answer 200 with exactly this body (HTML, a JSON array, ...)
    content_type: str = "application/json"  # the Content-Type of ``body``
    usage_raw: Any = _UNSET  # put this JSON value where usage goes (null, strings, {}), in JSON and SSE replies
    choices_raw: Any = _UNSET  # put this JSON value where the OpenAI choices go (e.g. [None], [{}])
    trickle: Trickle | None = None  # hold the request: a body byte, an SSE comment or a ping every trickle_every_s
    trickle_every_s: float = 0.2
    trickle_for_s: float = 5.0  # then hang up (a bounded fault: the server never loops forever)
    gzip_inflated_bytes: int | None = None  # answer a valid JSON reply padded to this size and gzipped
    events_raw: tuple[Any, ...] | None = None  # stream exactly these JSON values as SSE data events, then [DONE]
    headers: tuple[tuple[str, str], ...] = ()  # extra response headers of a ``body`` reply
    redirect_to: str | None = None  # answer 307 Temporary Redirect to this URL (after reading the request)
    stall_after_chunks: int | None = None  # stream: after this many text chunks, go silent for trickle_for_s, then hang up


@dataclass(frozen=True)
class Recorded:
    prefix: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    scripts: defaultdict[str, deque[Reply]] = field(default_factory=lambda: defaultdict(deque))
    requests: list[Recorded] = field(default_factory=list)


class ServedInThread:
    """An HTTP server on 127.0.0.1, served by a daemon thread for the length of a ``with`` block."""

    def __init__(self, httpd: ThreadingHTTPServer) -> None:
        self._httpd = httpd
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])


class LoopbackServer(ServedInThread):
    """Start with ``with LoopbackServer() as server:``; it binds a free port on 127.0.0.1."""

    def __init__(self) -> None:
        self._state = _State()
        state = self._state

        class Handler(_WireHandler):
            shared = state

        super().__init__(_QuietServer(("127.0.0.1", 0), Handler))

    def base_url(self, prefix: str, wire: Wire = "openai") -> str:
        """The base URL an SDK client takes for the fake provider under ``prefix``."""
        root = f"http://127.0.0.1:{self.port}/{prefix}"
        return f"{root}/v1" if wire == "openai" else root

    def script(self, prefix: str, *replies: Reply) -> None:
        with self._state.lock:
            self._state.scripts[prefix].extend(replies)

    def requests(self, prefix: str | None = None) -> list[Recorded]:
        with self._state.lock:
            return [r for r in self._state.requests if prefix is None or r.prefix == prefix]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default of 5 drops connections when 50 clients connect at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is a scripted fault, not a server error.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _WireHandler(BaseHTTPRequestHandler):
    shared: _State
    raw: Reply = Reply()  # the reply being sent, for the raw overrides
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this Nagle meets delayed ACK (~40 ms).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        prefix, _, rest = self.path.lstrip("/").partition("/")
        wire: Wire = "anthropic" if rest.endswith("messages") else "openai"
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.shared.lock:
            self.shared.requests.append(Recorded(prefix, "/" + rest, headers, body))
            queue = self.shared.scripts.get(prefix)
            reply = queue.popleft() if queue else Reply()
        if reply.delay_s:
            time.sleep(reply.delay_s)
        if reply.status is not None:
            return self._error(wire, reply.status, reply.error_message or f"scripted failure {reply.status}")
        if reply.redirect_to is not None:
            return self._send(307, "application/json", b"{}", (("Location", reply.redirect_to),))
        if reply.malformed:
            return self._send(200, "application/json", b"{this is not json")
        if reply.body is not None:
            return self._send(200, reply.content_type, reply.body, reply.headers)
        if reply.events_raw is not None:
            return self._raw_events(reply.events_raw)
        if reply.trickle is not None:
            return self._trickle(wire, body, reply)
        if reply.gzip_inflated_bytes is not None:
            return self._gzip_bomb(wire, body["model"], reply.gzip_inflated_bytes)
        messages = body.get("messages", [])
        last_user = next((m["content"] for m in reversed(messages) if m.get("role") == "user"), "")
        text = reply.text if reply.text is not None else f"echo: {last_user}"
        finish = "stop"
        stops = body.get("stop") or body.get("stop_sequences") or []
        for stop in [stops] if isinstance(stops, str) else stops:
            if stop in text:
                text, finish = text[: text.index(stop)], "stop_sequence"
        prompt_chars = sum(len(m.get("content", "")) for m in messages) + len(body.get("system", ""))
        usage = None if reply.no_usage else (reply.usage or (prompt_chars, len(text)))
        self.raw = reply
        if body.get("stream"):
            return self._stream(wire, body, text, finish, usage, reply.cut_after_chunks, reply)
        if wire == "openai":
            return self._openai_json(body, text, usage)
        return self._anthropic_json(body, text, finish, usage)

    # ----- plain JSON replies -------------------------------------------------------------------------

    def _send(self, status: int, content_type: str, payload: bytes, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._send(status, "application/json", json.dumps(data).encode())

    def _error(self, wire: Wire, status: int, message: str) -> None:
        if wire == "openai":
            self._json(status, {"error": {"message": message, "type": "scripted", "code": status}})
        else:
            self._json(status, {"type": "error", "error": {"type": "scripted_error", "message": message}})

    def _openai_json(self, body: dict[str, Any], text: str, usage: tuple[int, int] | None) -> None:
        data: dict[str, Any] = {
            "id": "chatcmpl-loopback",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        }
        if usage is not None:
            data["usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
        if self.raw.usage_raw is not _UNSET:
            data["usage"] = self.raw.usage_raw
        if self.raw.choices_raw is not _UNSET:
            data["choices"] = self.raw.choices_raw
        self._json(200, data)

    def _anthropic_json(self, body: dict[str, Any], text: str, finish: str, usage: tuple[int, int] | None) -> None:
        counts = {"input_tokens": (usage or (0, 0))[0], "output_tokens": (usage or (0, 0))[1]}
        self._json(
            200,
            {
                "id": "msg_loopback",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": [{"type": "text", "text": text}] if text else [],
                "stop_reason": "stop_sequence" if finish == "stop_sequence" else "end_turn",
                "stop_sequence": None,
                "usage": counts if self.raw.usage_raw is _UNSET else self.raw.usage_raw,
            },
        )

    # ----- faults that hold a request or inflate -------------------------------------------------------

    def _trickle(self, wire: Wire, body: dict[str, Any], reply: Reply) -> None:
        """Keep the connection busy without ever finishing, for at most ``reply.trickle_for_s``."""
        self.send_response(200)
        streamed = reply.trickle != "body"
        payload = json.dumps({"id": "x", "choices": []}).encode() * 1000
        self.send_header("Content-Type", "text/event-stream" if streamed else "application/json")
        if streamed:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        pieces = {"keepalive": ": keep-alive\n\n", "ping": sse({"type": "ping"}, "ping")}
        if reply.trickle == "ping":
            start = anthropic_events(body, "", "stop", (1, 1))[0][0].encode()
            self.wfile.write(f"{len(start):x}\r\n".encode() + start + b"\r\n")
        end = time.monotonic() + reply.trickle_for_s
        sent = 0
        try:
            while time.monotonic() < end:
                if streamed:
                    piece = pieces[reply.trickle or "ping"].encode()
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                else:
                    self.wfile.write(payload[sent : sent + 1])
                    sent += 1
                self.wfile.flush()
                time.sleep(reply.trickle_every_s)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: that is what the fault tests for
        self.close_connection = True

    def _raw_events(self, values: tuple[Any, ...]) -> None:
        def event(value: Any) -> str:  # Anthropic's events are named by their type, as the SDK expects
            name = value.get("type") if isinstance(value, dict) else None
            return sse(value if isinstance(value, str) else json.dumps(value), name)

        events = [event(v) for v in values] + [sse("[DONE]")]
        payload = "".join(events).encode()
        self._send(200, "text/event-stream", payload)

    def _gzip_bomb(self, wire: Wire, model: str, inflated: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", "gzip")
        payload = gzip_bomb(wire, model, inflated)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    # ----- server-sent events -------------------------------------------------------------------------

    def _stream(
        self, wire: Wire, body: dict[str, Any], text: str, finish: str, usage: tuple[int, int] | None, cut: int | None, reply: Reply
    ) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        events = openai_events if wire == "openai" else anthropic_events
        sent_text = 0
        raw_usage = self.raw.usage_raw
        for produced, is_text in events(body, text, finish, usage):
            event = with_usage(produced, raw_usage) if raw_usage is not _UNSET else produced
            if cut is not None and is_text and sent_text >= cut:
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)  # no terminating chunk: a broken transfer
                return
            if reply.stall_after_chunks is not None and is_text and sent_text >= reply.stall_after_chunks:
                self.wfile.flush()
                time.sleep(reply.trickle_for_s)  # silent: the client's deadline is what this fault tests
                self.close_connection = True
                return
            sent_text += is_text
            payload = event.encode()
            self.wfile.write(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")


def main() -> None:
    parser = argparse.ArgumentParser(description="Run a loopback server in its own process.")
    parser.add_argument("--max-s", type=float, default=600.0, help="stop after this many seconds at most")
    args = parser.parse_args()
    with LoopbackServer() as server:
        print(server.port, flush=True)
        closed = threading.Event()

        def wait_for_eof() -> None:
            sys.stdin.read()  # returns when the parent closes our stdin, or exits
            closed.set()

        threading.Thread(target=wait_for_eof, daemon=True).start()
        closed.wait(args.max_s)


if __name__ == "__main__":
    main()
