"""The HTTP transport under both SDKs: it bounds the size of a reply after decompression.

The SDKs read a whole JSON reply into memory, and httpx inflates gzip as it reads: a 300 KB body can
become 300 MB. This transport asks only for the encodings it can bound (gzip, deflate), inflates them
itself in bounded steps, and stops a reply as soon as it passes ``max_bytes``.

A client given a transport of its own reads no proxy from the environment, where the SDKs' default
client does (``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY``...): ``proxy_mounts`` gives it those proxies
back, each behind the same bound.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable

import httpx2
from httpx2._utils import get_environment_proxies  # httpx2's own reading of the proxy variables, NO_PROXY rules included

# The SDKs' own connection pool defaults; a transport passed in replaces the client's default one.
_LIMITS = httpx2.Limits(max_connections=1000, max_keepalive_connections=100)
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


ACCEPT_ENCODING = {"Accept-Encoding": "gzip, deflate"}  # the client's default headers: only what can be bounded


class ReplyRejectedError(httpx2.DecodingError):
    """A reply that is too large or in an encoding this transport cannot bound."""


class RedirectRefusedError(ReplyRejectedError):
    """A redirect to another origin: the request, its prompt included, is not sent there."""


# Failures that mean the request never left: the provider cannot have billed it.
NOT_SENT: tuple[type[Exception], ...] = (httpx2.ConnectError, httpx2.ConnectTimeout, RedirectRefusedError)


def _origin(url: httpx2.URL) -> str:
    """scheme://host:port of ``url``, never its user or password."""
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{url.host}{port}"


class _BoundedStream(httpx2.AsyncByteStream):
    def __init__(self, inner: httpx2.AsyncByteStream, encoding: str | None, max_bytes: int) -> None:
        self._inner = inner
        self._inflater = None if encoding is None else zlib.decompressobj(_WBITS[encoding])
        self._left = max_bytes
        self._max_bytes = max_bytes

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for raw in self._inner:
            if self._inflater is None:
                yield self._take(raw)
                continue
            pending = raw
            while pending:
                try:
                    piece = self._inflater.decompress(pending, self._left + 1)
                except zlib.error as exc:
                    raise ReplyRejectedError(f"reply body cannot be inflated: {exc}") from None
                pending = self._inflater.unconsumed_tail
                if piece:
                    yield self._take(piece)
        if self._inflater is not None and (tail := self._inflater.flush()):
            yield self._take(tail)

    def _take(self, piece: bytes) -> bytes:
        self._left -= len(piece)
        if self._left < 0:
            raise ReplyRejectedError(f"reply larger than max_response_bytes={self._max_bytes}")
        return piece

    async def aclose(self) -> None:
        await self._inner.aclose()


class BoundedTransport(httpx2.AsyncBaseTransport):
    """An ``httpx2.AsyncHTTPTransport`` (through ``proxy`` when given) whose replies stop at ``max_bytes``
    after decompression."""

    def __init__(self, max_bytes: int, proxy: str | None = None) -> None:
        self._inner = httpx2.AsyncHTTPTransport(limits=_LIMITS, proxy=proxy)
        self._max_bytes = max_bytes

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self._inner.handle_async_request(request)
        headers = response.headers
        if response.has_redirect_location:
            try:
                target = request.url.join(headers["Location"])
            except httpx2.InvalidURL:
                target = httpx2.URL("invalid:")
            if _origin(target) != _origin(request.url):  # a same-origin redirect is the client's to follow
                await response.aclose()
                raise RedirectRefusedError(f"redirect to another origin not followed: {_origin(target)}", request=request)
        encoding = headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip", "deflate"):
            await response.aclose()
            raise ReplyRejectedError(f"reply in an encoding that was not asked for: {encoding!r}", request=request)
        if encoding != "identity":  # inflated here, within the cap: httpx must not inflate it again
            del headers["Content-Encoding"]
            headers.pop("Content-Length", None)
        stream = response.stream
        if not isinstance(stream, httpx2.AsyncByteStream):
            raise TypeError("an async transport returned a sync stream")
        response.stream = _BoundedStream(stream, None if encoding == "identity" else encoding, self._max_bytes)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def proxy_mounts(max_bytes: int) -> dict[str, httpx2.AsyncBaseTransport | None]:
    """The proxies the environment names, keyed by URL pattern as httpx2 keys its own, each reached
    through a ``BoundedTransport``; a pattern NO_PROXY names maps to None, which is the client's own
    (direct, bounded) transport. Read when a client is built, as httpx2 reads them."""
    return {pattern: None if url is None else BoundedTransport(max_bytes, proxy=url) for pattern, url in get_environment_proxies().items()}


def bounded_client(
    factory: Callable[..., httpx2.AsyncClient], max_bytes: int, credentials: tuple[str, str] | None = None
) -> httpx2.AsyncClient:
    """An SDK's HTTP client (``factory``: its ``DefaultAsyncHttpxClient``) on a ``BoundedTransport``, with
    the environment's proxies behind the same bound, asking only for the encodings it can bound.
    ``credentials``: the user and password of the base URL, sent as basic auth (not in the URL)."""
    auth = None if credentials is None else httpx2.BasicAuth(*credentials)
    return factory(transport=BoundedTransport(max_bytes), mounts=proxy_mounts(max_bytes), headers=ACCEPT_ENCODING, auth=auth)
