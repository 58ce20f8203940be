"""A tiny platform for the framework's own tests: bearer tokens, a signed query, a cursor list.

Not registered: tests build `Mock(Toy)` directly, so it never shows in `clawcheck mock --list`.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import ClassVar

from clawcheck.platforms.model import (
    Call,
    ClientRequest,
    Host,
    MockResponse,
    Platform,
    RateLimit,
    route,
)

SECRET = "toy-app-secret-0123456789"
SHOPS = ("shop-a", "shop-b")


@dataclass
class ToyState:
    orders: list[dict[str, object]] = field(default_factory=list)
    stock: dict[str, int] = field(default_factory=dict)
    access: dict[str, str] = field(default_factory=dict)
    refresh: dict[str, str] = field(default_factory=dict)


def sign(path: str, timestamp: str, token: str) -> str:
    return hmac.new(SECRET.encode(), f"{path}{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


class Toy(Platform):
    name = "toy"
    title = "Toy platform"
    spec = "toy.yaml"
    hosts = (
        Host("sandbox.toy.test", environment="sandbox"),
        Host("api.toy.test", environment="production"),
        Host("auth.toy.test", environment="any", role="auth"),
    )
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=20.0, burst=5.0)
    token_ttl = 3600.0
    refresh_ttl = 86400.0

    def seed(self) -> None:
        self.state = ToyState()
        for shop in SHOPS:
            token = self.tokens.issue(shop)
            self.state.access[shop] = token.access
            self.state.refresh[shop] = token.refresh or ""
        for n in range(7):
            self.state.orders.append(
                {"id": n + 1, "shop": SHOPS[n % 2], "status": "paid", "created_at": "2026-11-20T10:00:00Z"}
            )
        self.state.stock = {"SKU-1": 10}

    def credentials(self) -> dict[str, str]:
        return {
            "TOY_APP_SECRET": SECRET,
            "TOY_SHOP": SHOPS[0],
            "TOY_ACCESS_TOKEN": self.state.access[SHOPS[0]],
            "TOY_REFRESH_TOKEN": self.state.refresh[SHOPS[0]],
        }

    def authenticate(self, call: Call) -> MockResponse | None:
        request = call.request
        token = (request.header("authorization") or "").removeprefix("Bearer ").strip()
        call.identify(token=token or None)
        if not token:
            call.token_state("missing")
            return call.error(401, "unauthorized", "missing token")
        checked = call.tokens.check(token)
        call.identify(shop=checked.shop)
        call.token_state(checked.state)
        if checked.state != "valid":
            return call.error(401, f"token_{checked.state}", f"token {checked.state}")
        timestamp = request.param("ts") or ""
        given = request.param("sign")
        if timestamp.isdigit():
            call.client_timestamp("ts", int(timestamp))
        if not given:
            call.signature("missing")
            return call.error(403, "sign_missing", "missing sign")
        if not hmac.compare_digest(given, sign(request.path, timestamp, token)):
            call.signature("invalid", "hmac mismatch")
            return call.error(403, "sign_invalid", "wrong sign")
        call.signature("valid")
        return None

    def error(self, call: Call, status: int, code: str, message: str) -> MockResponse:
        return call.json(status, {"error": code, "message": message})

    def throttled(self, call: Call, retry_after: float) -> MockResponse:
        # Decimal seconds, as Shopify sends them: keeps the self-tests fast.
        header = f"{retry_after:.2f}"
        call.advertise_wait(float(header))
        return call.json(429, {"error": "too_many_requests", "message": "slow down"}, {"Retry-After": header})

    def authorize(self, request: ClientRequest, now: float) -> ClientRequest:
        token = self.state.access[SHOPS[0]]
        ts = str(int(now))
        request.headers["Authorization"] = f"Bearer {token}"
        request.query += [("ts", ts), ("sign", sign(request.path, ts, token))]
        return request

    def webhook_headers(self, secret: str, body: bytes, topic: str, now: float) -> dict[str, str]:
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return {"X-Toy-Topic": topic, "X-Toy-Signature": digest}

    @route("POST", "/oauth/token", name="token", public=True)
    def token(self, call: Call) -> MockResponse:
        form = call.request.form()
        fresh = call.tokens.refresh(form.get("refresh_token"))
        if fresh is None:
            return call.error(400, "invalid_grant", "unknown refresh token")
        return call.json(
            200,
            {
                "access_token": fresh.access,
                "refresh_token": fresh.refresh,
                "expires_in": fresh.expires_in(call.now()),
            },
        )

    @route("GET", "/boom", name="boom")
    def boom(self, call: Call) -> MockResponse:
        raise RuntimeError("a handler bug")

    @route("POST", "/echo", name="echo")
    def echo(self, call: Call) -> MockResponse:
        return call.json(200, {"got": call.request.json()})

    @route("GET", "/orders", name="list_orders")
    def list_orders(self, call: Call) -> MockResponse:
        shop = call.entry.shop
        mine = [o for o in self.state.orders if o["shop"] == shop]
        cursor = call.request.param("cursor")
        start = 0
        if cursor:
            offset = call.decode_cursor(cursor)
            if offset is None:
                return call.error(400, "bad_cursor", "unknown cursor")
            start = offset
        size = call.page_size(call.request.param("limit"), 3, 50)
        page = mine[start : start + size]
        more = start + size < len(mine)
        data: dict[str, object] = {
            "orders": page,
            "next_cursor": call.encode_cursor(start + size) if more else None,
        }
        return call.json(200, data)

    @route("POST", "/orders/{order_id}/ship", name="ship_order")
    def ship(self, call: Call) -> MockResponse:
        body = call.request.json()
        for order in self.state.orders:
            if str(order["id"]) == call.path_params["order_id"] and order["shop"] == call.entry.shop:
                order["status"] = "shipped"
                order["tracking"] = body.get("tracking") if isinstance(body, dict) else None
                call.notify("order.shipped", {"id": order["id"]})
                return call.json(200, order)
        return call.error(404, "not_found", "no such order")
