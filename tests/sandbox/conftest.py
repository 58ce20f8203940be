"""Fixtures for sandbox tests: real servers on free ports, real HTTP through httpx."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clawcheck.sandbox import Sandbox, SandboxConfig

CLIENT = ("clawcheck-demo", "clawcheck-demo-secret")
SHOP = "shop_demo"
FAST = 100_000.0  # a rate limit no test reaches unless it means to

_keys = itertools.count()


def new_key() -> str:
    return f"test-key-{next(_keys)}"


def order_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "platform": "shopify",
        "platform_order_id": f"SHOP-{next(_keys)}",
        "currency": "USD",
        "buyer": {"name": "Li Wei", "email": "li.wei@example.com", "country": "US"},
        "lines": [{"sku": "SKU-RED-M", "quantity": 2, "unit_price": "19.99"}],
        "warehouse_id": "WH-SZ-01",
        "placed_at": "2026-03-19T08:30:00Z",
    }
    body.update(overrides)
    return body


class Api:
    """An authenticated client for one shop; POSTs get a fresh Idempotency-Key unless given one."""

    def __init__(self, base_url: str, *, shop: str = SHOP, token: str | None = None) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10.0)
        self.token = token or self.issue_token()
        self.shop = shop

    def issue_token(self) -> str:
        data = {"grant_type": "client_credentials", "client_id": CLIENT[0], "client_secret": CLIENT[1]}
        response = self.http.post("/v2/oauth/token", data=data)
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "X-OpenClaw-Shop-Id": self.shop, **extra}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, headers=self.headers(), **kwargs)

    def post(self, path: str, body: Any = None, *, key: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = self.headers(**{"Idempotency-Key": key or new_key()})
        if body is not None:
            kwargs["json"] = body
        return self.http.post(path, headers=headers, **kwargs)

    def delete(self, path: str) -> httpx.Response:
        return self.http.delete(path, headers=self.headers())

    def create_order(self, **overrides: Any) -> dict[str, Any]:
        response = self.post("/v2/orders/create", order_body(**overrides))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def subscribe(self, url: str, event_types: list[str], **extra: Any) -> dict[str, Any]:
        response = self.post("/v2/webhooks/subscriptions", {"url": url, "event_types": event_types, **extra})
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def deliveries(self, subscription_id: str, **params: Any) -> list[dict[str, Any]]:
        """The subscription's delivery log, every page, newest first."""
        found: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            query = {**params, **({"cursor": cursor} if cursor else {})}
            response = self.get(f"/v2/webhooks/subscriptions/{subscription_id}/deliveries", params=query)
            assert response.status_code == 200, response.text
            page = response.json()
            found += page["data"]
            cursor = page["next_cursor"]
            if cursor is None:
                return found

    def close(self) -> None:
        self.http.close()


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The error envelope's inner object, after checking it agrees with the trace header."""
    error: dict[str, Any] = response.json()["error"]
    assert error["trace_id"] == response.headers["X-OpenClaw-Trace-Id"]
    return error


class TickingClock:
    """Epoch seconds that move one second each time they are read: every signing time is new."""

    def __init__(self, now: float = 1_773_909_000.0) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            self.now += 1.0
            return self.now


class FakeClock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self, now: float = 1_773_909_000.0) -> None:  # 2026-03-19T08:30:00Z
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def shared() -> Iterator[Sandbox]:
    """One sandbox per module, for tests that only add their own state."""
    with Sandbox(SandboxConfig(rate_limit=FAST)) as sandbox:
        yield sandbox


@pytest.fixture
def api(shared: Sandbox) -> Iterator[Api]:
    client = Api(shared.base_url)
    yield client
    client.close()


@pytest.fixture
def fresh_api() -> Iterator[Api]:
    """A client of a sandbox of its own, for tests that count or exhaust stock."""
    with Sandbox(SandboxConfig(rate_limit=FAST)) as sandbox:
        client = Api(sandbox.base_url)
        yield client
        client.close()
