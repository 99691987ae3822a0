"""The proxy variables of the environment, as the SDKs' default clients honour them: both wires reach the
loopback server through a forward proxy of our own, NO_PROXY goes direct, and the reply-size bound holds
through the proxy as well."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from byok import Message
from tests.integration.conftest import HandlerFactory
from tests.loopback import LoopbackServer, Reply, ServedInThread

ASK: list[Message] = [{"role": "user", "content": "ping"}]
_HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "proxy-authorization", "te", "trailer", "upgrade"}


class ForwardProxy(ServedInThread):
    """An HTTP forward proxy on 127.0.0.1: each request (absolute-form, as a client sends it to a proxy) is
    recorded, sent on to its origin, and answered with the origin's reply, body as sent (gzip stays gzip)."""

    def __init__(self) -> None:
        seen: list[str] = []
        self.seen = seen

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                seen.append(f"{self.command} {self.path}")
                target = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                origin = http.client.HTTPConnection(target.hostname or "", target.port or 80, timeout=30)
                try:
                    origin.request(self.command, target.path + (f"?{target.query}" if target.query else ""), body, headers)
                    reply = origin.getresponse()
                    payload = reply.read()
                    self.send_response(reply.status)
                    for name, value in reply.getheaders():
                        if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                finally:
                    origin.close()

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        super().__init__(httpd)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[ForwardProxy]:
    """A running proxy named by ``http_proxy``, every other proxy variable cleared."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    with ForwardProxy() as running:
        monkeypatch.setenv("http_proxy", running.url)
        yield running


@pytest.mark.parametrize(("provider_id", "path"), [("openai", "/openai/v1/chat/completions"), ("anthropic", "/anthropic/v1/messages")])
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_both_wires_go_through_the_proxy_the_environment_names(
    provider_id: str, path: str, stream: bool, proxy: ForwardProxy, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    handler = make_handler(provider_id)
    if stream:
        text = "".join([chunk.text async for chunk in handler.stream_completion(ASK)])
    else:
        text = (await handler.generate_response(ASK)).text
    assert text == "echo: ping"
    assert proxy.seen == [f"POST http://127.0.0.1:{server.port}{path}"]
    assert len(server.requests(provider_id)) == 1


async def test_a_host_that_no_proxy_names_is_reached_directly(
    proxy: ForwardProxy, server: LoopbackServer, make_handler: HandlerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    result = await make_handler("openai").generate_response(ASK)
    assert result.text == "echo: ping"
    assert (proxy.seen, len(server.requests("openai"))) == ([], 1)


async def test_the_reply_size_bound_holds_through_the_proxy(
    proxy: ForwardProxy, server: LoopbackServer, make_handler: HandlerFactory
) -> None:
    server.script("openai", Reply(gzip_inflated_bytes=40 * 1024 * 1024))
    handler = make_handler("openai", "deepseek")
    result = await handler.generate_response(ASK, provider_id="openai")
    assert (result.provider_id, result.text) == ("deepseek", "echo: ping")
    assert handler.health._failures == {"openai": 1}
    assert [line.split("/")[3] for line in proxy.seen] == ["openai", "deepseek"]  # both attempts went through the proxy
