"""Targets for the preflight self-tests: a health endpoint with knobs, served for real on loopback.

`health_app` is a raw ASGI app; `Served` runs any ASGI app under uvicorn in a thread like
`clawcheck.serving.ASGIServer`, plus what that one does not offer: an `ssl.SSLContext` (so a
test can pin the server's TLS versions) and control of uvicorn's own `Date` header.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import threading
import time
import warnings
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from pathlib import Path
from types import TracebackType
from typing import Any

import trustme
import uvicorn

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

HEALTHY: dict[str, Any] = {"status": "ok", "version": "2.0.0", "time": "2026-03-19T08:30:00Z"}
_UNSET: Any = object()


def health_app(
    *,
    status: int = 200,
    body: Any = _UNSET,
    content_type: str = "application/json",
    date_offset: float | None = None,
    delay: float = 0.0,
    headers: tuple[tuple[str, str], ...] = (),
) -> App:
    """Answers `GET /healthz` (anything else is 404). `date_offset`: send a `Date` that far from now
    (None: send none; the server may add its own). `body` is JSON-encoded unless it is `bytes`."""
    payload = HEALTHY if body is _UNSET else body
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if delay:
            await asyncio.sleep(delay)
        found = scope["path"] == "/healthz"
        extra = [(k.lower().encode(), v.encode()) for k, v in headers]
        if date_offset is not None:
            extra.append((b"date", formatdate(time.time() + date_offset, usegmt=True).encode()))
        await send(
            {
                "type": "http.response.start",
                "status": status if found else 404,
                "headers": [(b"content-type", content_type.encode()), *extra],
            }
        )
        await send({"type": "http.response.body", "body": raw if found else b'{"error": "not found"}'})

    return app


class Served:
    """`with Served(app, ssl_context=ctx) as s: s.base_url` (https when a context is given)."""

    def __init__(
        self, app: App, *, ssl_context: ssl.SSLContext | None = None, date_header: bool = False
    ) -> None:
        self.app = app
        self.ssl_context = ssl_context
        self.date_header = date_header
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def base_url(self) -> str:
        return f"{'https' if self.ssl_context else 'http'}://127.0.0.1:{self.port}"

    def __enter__(self) -> Served:
        sock = self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        context = self.ssl_context
        config = uvicorn.Config(
            self.app,
            log_config=None,
            log_level="critical",  # failed handshakes are the point of several tests
            access_log=False,
            ws="none",
            lifespan="off",
            date_header=self.date_header,
            timeout_graceful_shutdown=1,
            ssl_context_factory=(lambda _config, _default: context) if context is not None else None,
        )
        server = self._server = uvicorn.Server(config)
        thread = self._thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError("test server did not start")
            time.sleep(0.005)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(5)
        if self._socket is not None:
            self._socket.close()


class Certificates:
    """A private CA (trustme) and server certificates for every certificate rule."""

    def __init__(self, directory: Path) -> None:
        self.ca = trustme.CA()
        self.ca_file = str(directory / "ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_file)

    def leaf(self, *names: str, days_left: float = 365.0, days_valid: float = 30.0) -> trustme.LeafCert:
        now = datetime.now(UTC)
        not_after = now + timedelta(days=days_left)
        return self.ca.issue_cert(
            *(names or ("127.0.0.1", "localhost")),
            not_before=not_after - timedelta(days=days_valid + max(days_left, 0)),
            not_after=not_after,
        )

    @staticmethod
    def server_context(
        leaf: trustme.LeafCert,
        *,
        maximum: ssl.TLSVersion | None = None,
        minimum: ssl.TLSVersion | None = None,
        seclevel0: bool = False,
    ) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        leaf.configure_cert(context)
        with warnings.catch_warnings():  # pinning TLS 1.0/1.1 is deprecated: that is what we test
            warnings.simplefilter("ignore", DeprecationWarning)
            if minimum is not None:
                context.minimum_version = minimum
            if maximum is not None:
                context.maximum_version = maximum
        if seclevel0:
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
        return context
