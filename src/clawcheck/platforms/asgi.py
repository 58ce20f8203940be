"""Real HTTP for a mock: a bare ASGI app per host, converting to and from `MockRequest`.

Bare ASGI rather than a framework: the engine does its own routing, and a mock should
add as little as possible to the latency it reports.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import Host, MockRequest, MockResponse

__all__ = ["MAX_BODY", "mock_app"]

MAX_BODY = 10 * 1024 * 1024

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def mock_app(mock: Mock, host: Host) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI app serving `mock` as if it were `host`."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        body = await _read_body(receive)
        if body is None:
            response = MockResponse.json(413, {"error": f"request body larger than {MAX_BODY} bytes"})
        else:
            request = MockRequest.build(
                scope["method"],
                scope["path"],
                host=host.name,
                scheme=scope.get("scheme", "http"),
                query_string=scope.get("query_string", b"").decode("latin-1"),
                headers=((k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", ())),
                body=body,
                raw_path=(scope.get("raw_path") or scope["path"].encode()).decode("latin-1"),
            )
            response = mock.handle(request)
        if response.delay > 0:
            await asyncio.sleep(response.delay)
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()]
        headers.append((b"content-length", str(len(response.body)).encode()))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})

    return app


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)
