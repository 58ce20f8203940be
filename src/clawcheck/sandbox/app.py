"""`create_app(config)`: the whole OpenClaw v2 API as one Starlette application."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clawcheck.sandbox import faults
from clawcheck.sandbox.auth import TokenAuthority
from clawcheck.sandbox.config import DEMO_SHOP_ID, SandboxConfig
from clawcheck.sandbox.delivery import Webhooks
from clawcheck.sandbox.errors import ApiError, ErrorRenderer
from clawcheck.sandbox.idempotency import IdempotencyGuard
from clawcheck.sandbox.injection import InjectionMiddleware
from clawcheck.sandbox.pipeline import TRACE_KEY, Resource, Runtime, TraceMiddleware, trace_id_of
from clawcheck.sandbox.ratelimit import RateLimiter
from clawcheck.sandbox.routes import inventory, oauth, orders, shipments, webhooks
from clawcheck.sandbox.store import Store
from clawcheck.sandbox.timefmt import TimeFormat

__all__ = ["DEMO_STOCK", "create_app"]

# sku -> warehouse -> on hand, for shop_demo
DEMO_STOCK: dict[str, dict[str, int]] = {
    "SKU-RED-M": {"WH-SZ-01": 120, "WH-LA-01": 40},
    "SKU-BLUE-L": {"WH-SZ-01": 80, "WH-LA-01": 25},
    "SKU-GREEN-S": {"WH-SZ-01": 60},
}

_HTTP_ERRORS = {
    404: ("NOT_FOUND", "not_found", "no such resource path"),
    405: ("METHOD_NOT_ALLOWED", "validation", "method not allowed"),
}


def _build_runtime(config: SandboxConfig) -> Runtime:
    has = config.has
    store = Store()
    fmt = TimeFormat(local_time=has(faults.LOCAL_TIME.name))
    runtime = Runtime(
        config=config,
        store=store,
        auth=TokenAuthority(config),
        limiter=RateLimiter(
            config.rate_limit,
            enabled=not has(faults.NO_RATE_LIMIT.name),
            retry_after_header=not has(faults.NO_RETRY_AFTER.name),
        ),
        idempotency=IdempotencyGuard(
            enabled=not has(faults.NO_IDEMPOTENCY.name),
            check_body=not has(faults.IDEMPOTENCY_IGNORES_BODY.name),
        ),
        errors=ErrorRenderer(
            flat=has(faults.BAD_ERROR_ENVELOPE.name), mismatch=has(faults.TRACE_ID_MISMATCH.name)
        ),
        fmt=fmt,
        racy_inventory=has(faults.RACY_INVENTORY.name),
        webhooks=Webhooks(config, fmt),
    )
    if config.seed:
        store.seed(DEMO_SHOP_ID, DEMO_STOCK, runtime.now())
    return runtime


def create_app(config: SandboxConfig | None = None) -> Starlette:
    """A fresh sandbox with its own state; `app.state.runtime` exposes it to tests."""
    runtime = _build_runtime(config or SandboxConfig())
    routes = []
    # Order matters only where paths overlap (literal before parameter, kept within each module);
    # the hot read paths come first because routing tries routes in turn.
    for module in (orders, inventory, shipments, webhooks, oauth):
        for path, operations in module.RESOURCES:
            # An ASGI endpoint claims every method, so `GET /v2/orders/create` is a 405 from
            # this path rather than a lookup of an order called "create".
            routes.append(Route(path, Resource(runtime, operations)))

    def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        code, kind, message = _HTTP_ERRORS.get(status, ("HTTP_ERROR", "validation", "request not handled"))
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        return runtime.errors.response(ApiError(status, code, kind, message, headers), trace_id_of(request))

    middleware = [Middleware(TraceMiddleware, errors=runtime.errors)]
    if runtime.config.latency is not None:  # inside the trace middleware: injected errors carry trace ids
        templates = [route.path for route in routes]
        middleware.append(
            Middleware(
                InjectionMiddleware,
                plan=runtime.config.latency,
                templates=templates,
                errors=runtime.errors,
                trace_key=TRACE_KEY,
            )
        )
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: http_error},
        lifespan=runtime.webhooks.lifespan,  # webhook deliveries run while the server does
    )
    app.router.redirect_slashes = False  # a redirect is not in the contract; unknown paths are 404
    app.state.runtime = runtime
    return app
