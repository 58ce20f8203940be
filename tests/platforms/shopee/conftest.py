"""Fixtures for the Shopee mock: a fake clock, the mock, and a client that signs as Shopee wants.

`ShopeeClient` talks to `Mock.handle` directly (no transport) so that tests control every
signed component and the clock; the transport tests cover httpx and real HTTP separately.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import MockRequest
from clawcheck.platforms.shopee import Shopee, base_string, sign
from clawcheck.platforms.shopee.wire import PUBLIC_PATHS

SANDBOX_HOST = "openplatform.sandbox.test-stable.shopee.sg"
SG, MY, PH = 14701711, 22650327, 38812045
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z
DAY = 86400


@dataclass
class FakeClock:
    """One clock for the platform and the limiter; `step` seconds pass with every request."""

    now: float = START

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Answer:
    status: int
    data: dict[str, Any]
    headers: dict[str, str]

    @property
    def error(self) -> str:
        return str(self.data.get("error", ""))

    @property
    def response(self) -> Any:
        return self.data["response"]


@dataclass
class ShopeeClient:
    """Signs like a correct client; every component can be overridden to play a broken one."""

    mock: Mock
    clock: FakeClock
    shop_id: int = SG
    host: str = SANDBOX_HOST
    step: float = 0.15  # seconds between requests: under 10 per second unless a test says otherwise

    @property
    def platform(self) -> Shopee:
        platform = self.mock.platform
        assert isinstance(platform, Shopee)
        return platform

    def token(self, shop_id: int | None = None) -> str:
        return self.platform.state.current[shop_id or self.shop_id][0]

    def call(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        *,
        token: str | None = None,
        shop_id: int | None = None,
        sign_with: Mapping[str, str] | None = None,
        common: Mapping[str, str | None] | None = None,
        raw_body: bytes | None = None,
        raw_query: str = "",
    ) -> Answer:
        """`sign_with` changes what goes into the base string; `common` what goes into the query
        (None drops a parameter); `raw_query` is appended to the query string as it is."""
        shop = str(shop_id or self.shop_id)
        partner = self.platform.partner
        query: dict[str, str | None] = {
            "partner_id": str(partner.partner_id),
            "timestamp": str(int(self.clock.now)),
        }
        public = path in PUBLIC_PATHS
        if not public:
            query |= {"access_token": token if token is not None else self.token(int(shop)), "shop_id": shop}
        parts = {k: v or "" for k, v in query.items()} | {"path": path} | dict(sign_with or {})
        base = base_string(
            parts["partner_id"],
            parts["path"],
            parts["timestamp"],
            parts.get("access_token", ""),
            parts.get("shop_id", ""),
        )
        query["sign"] = sign(partner.key, base)
        query |= dict(common or {})
        sent = [(k, v) for k, v in query.items() if v is not None]
        sent += [(k, str(v)) for k, v in (params or {}).items()]
        payload = raw_body if raw_body is not None else (b"" if body is None else json.dumps(body).encode())
        response = self.mock.handle(
            MockRequest.build(
                method,
                path,
                host=self.host,
                query_string="&".join(filter(None, [urlencode(sent), raw_query])),
                headers=[("content-type", "application/json")],
                body=payload,
            )
        )
        self.clock.advance(self.step)
        return Answer(response.status, json.loads(response.body or b"{}"), response.headers)

    # Shortcuts for the operations most tests use.
    def list_orders(self, **params: Any) -> Answer:
        defaults = {
            "time_range_field": "create_time",
            "time_from": int(self.clock.now) - 15 * DAY + 1,
            "time_to": int(self.clock.now),
            "page_size": 100,
        }
        return self.call("GET", "/api/v2/order/get_order_list", defaults | params)

    def all_orders(self, **params: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        cursor = ""
        while True:
            page = self.list_orders(cursor=cursor, **params)
            assert page.status == 200, page.data
            found += page.response["order_list"]
            if not page.response["more"]:
                assert page.response["next_cursor"] == ""
                return found
            cursor = page.response["next_cursor"]

    def refresh(self, refresh_token: str, shop_id: int | None = None) -> Answer:
        body = {"refresh_token": refresh_token, "partner_id": self.platform.partner.partner_id}
        return self.call(
            "POST", "/api/v2/auth/access_token/get", body=body | {"shop_id": shop_id or self.shop_id}
        )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_mock(clock: FakeClock, **kwargs: Any) -> Mock:
    return Mock(Shopee, clock=clock.time, monotonic=clock.time, **kwargs)


@pytest.fixture
def mock(clock: FakeClock) -> Iterator[Mock]:
    built = make_mock(clock)
    yield built
    built.close()


@pytest.fixture
def client(mock: Mock, clock: FakeClock) -> ShopeeClient:
    return ShopeeClient(mock, clock)
