"""The request pipeline: trace id, then per operation auth → shop → rate limit → idempotency → handler.

Routing happens first (Starlette), so unknown paths are 404 and undeclared
methods 405 without credentials; every matched operation then runs the steps
in the documented order. Everything is plain ASGI or one endpoint per path,
so a read costs little more than a bare Starlette JSON endpoint.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clawcheck.sandbox.auth import TokenAuthority
from clawcheck.sandbox.config import SandboxConfig
from clawcheck.sandbox.delivery import Webhooks
from clawcheck.sandbox.errors import JSON_TYPE, ApiError, ErrorRenderer, render_json, validation_error
from clawcheck.sandbox.idempotency import IdempotencyGuard, Outcome, fingerprint
from clawcheck.sandbox.ratelimit import RateLimiter
from clawcheck.sandbox.store import Shop, Store
from clawcheck.sandbox.timefmt import TimeFormat, from_epoch
from clawcheck.sandbox.validation import MAX_BODY, Body, parse_body

__all__ = [
    "TRACE_KEY",
    "Call",
    "Handler",
    "Operation",
    "Reply",
    "Resource",
    "Runtime",
    "TraceMiddleware",
    "trace_id_of",
]

TRACE_KEY = "openclaw.trace_id"  # in the ASGI scope; read when the response starts, so replays may swap it
_TRACE_HEADER = b"x-openclaw-trace-id"
_log = logging.getLogger("clawcheck.sandbox")


@dataclass(frozen=True, slots=True)
class Runtime:
    """Everything handlers share: configuration, state and the fault-aware helpers."""

    config: SandboxConfig
    store: Store
    auth: TokenAuthority
    limiter: RateLimiter
    idempotency: IdempotencyGuard
    errors: ErrorRenderer
    fmt: TimeFormat
    racy_inventory: bool
    webhooks: Webhooks

    def now(self) -> datetime:
        return from_epoch(self.config.clock())


@dataclass(frozen=True, slots=True)
class Call:
    """One request as a handler sees it; `shop` is set for every protected operation."""

    rt: Runtime
    shop: Shop
    body: Body
    request: Request
    now: datetime

    @property
    def params(self) -> Mapping[str, str]:
        params: Mapping[str, str] = self.request.path_params
        return params

    @property
    def query(self) -> QueryParams:
        return self.request.query_params  # parsed on first use only

    @property
    def headers(self) -> Headers:
        return self.request.headers

    def emit(self, event_type: str, data: Callable[[], Any], *, platform: str | None = None) -> None:
        """Queue a webhook event for the shop's subscribers; `data` renders the resource if anyone is."""
        self.rt.webhooks.emit(self.shop, event_type, data, platform=platform, now=self.now)


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    payload: Any = None  # JSON-able, or bytes already rendered as JSON; None: no body (204)
    headers: Mapping[str, str] | None = None


Handler = Callable[[Call], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    handler: Handler
    protected: bool = True  # authentication, shop id and rate limit
    idempotent: bool = False  # requires an Idempotency-Key
    query: frozenset[str] = frozenset()  # declared query parameters; others are 400 like unknown fields


_NO_SHOP = Shop("shop_none")  # unprotected operations never touch shop state


def trace_id_of(request: Request) -> str:
    trace_id: str = request.scope[TRACE_KEY]
    return trace_id


class Resource:
    """One path: dispatches by method and runs the pipeline for the chosen operation."""

    __slots__ = ("_allow", "_operations", "_rt")

    def __init__(self, rt: Runtime, operations: list[Operation]) -> None:
        self._rt = rt
        self._operations = {op.method: op for op in operations}
        self._allow = ", ".join(self._operations)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A plain ASGI app, so Starlette routes every method here and we answer 405 ourselves.
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        rt, scope = self._rt, request.scope
        trace_id: str = scope[TRACE_KEY]
        op = self._operations.get(request.method)
        if op is None:
            error = ApiError(
                405,
                "METHOD_NOT_ALLOWED",
                "validation",
                f"{request.method} is not allowed here; allowed: {self._allow}",
                headers={"Allow": self._allow},
            )
            return rt.errors.response(error, trace_id)
        headers = request.headers
        try:
            shop = _NO_SHOP
            if op.protected:
                rt.auth.authenticate(headers.get("authorization"))
                shop = rt.store.shop(headers.get("x-openclaw-shop-id"))
                rt.limiter.take(shop.shop_id)
            key = IdempotencyGuard.key(headers.get("idempotency-key")) if op.idempotent else ""
            if op.protected and request.scope["query_string"]:
                _check_query(request.query_params, op.query)
            raw = await _read_body(request) if op.method == "POST" else b""
            body = parse_body(raw, headers.get("content-type"))
            call = Call(rt, shop, body, request, rt.now())
            if op.idempotent:
                print_ = fingerprint(op.method, request.url.path, raw, body.value)
                outcome = await rt.idempotency.run(
                    shop, key, print_, trace_id, lambda: self._execute(op, call, trace_id)
                )
            else:
                outcome = await self._execute(op, call, trace_id)
        except ApiError as error:
            return rt.errors.response(error, trace_id)
        if outcome.replayed_trace_id is not None:
            scope[TRACE_KEY] = outcome.replayed_trace_id
        media = JSON_TYPE if outcome.body else None
        return Response(outcome.body, outcome.status, headers=outcome.headers, media_type=media)

    async def _execute(self, op: Operation, call: Call, trace_id: str) -> Outcome:
        try:
            reply = await op.handler(call)
        except ApiError as error:
            return Outcome(error.status, self._rt.errors.body(error, trace_id), error.headers)
        payload = reply.payload
        body = b"" if payload is None else payload if isinstance(payload, bytes) else render_json(payload)
        return Outcome(reply.status, body, dict(reply.headers) if reply.headers else {})


async def _read_body(request: Request) -> bytes:
    """The body, or up to just past the limit: `parse_body` then reports it as too large."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY:
            break
    return b"".join(chunks)


def _check_query(query: QueryParams, declared: frozenset[str]) -> None:
    for name in query:
        if name not in declared:
            shown = name if len(name) <= 64 else name[:64] + "…"
            raise validation_error(f"unknown query parameter {shown!r}")


class TraceMiddleware:
    """Gives every request a fresh trace id, puts it on every response, and turns crashes into 500s."""

    def __init__(self, app: ASGIApp, errors: ErrorRenderer) -> None:
        self.app = app
        self.errors = errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope[TRACE_KEY] = secrets.token_hex(16)
        started = False

        async def send_traced(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [*message.get("headers", ()), (_TRACE_HEADER, scope[TRACE_KEY].encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_traced)
        except Exception:
            _log.exception("sandbox bug while serving %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            error = ApiError(500, "INTERNAL_ERROR", "platform", "internal error; quote the trace id")
            await self.errors.response(error, scope[TRACE_KEY])(scope, receive, send_traced)
