"""Shared pieces of the Amazon SP-API mock tests: a fake clock, a thin client, the adapter."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import pytest

from clawcheck.platforms.amazon import Amazon
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import MockRequest, MockResponse

NA_SANDBOX = "sandbox.sellingpartnerapi-na.amazon.com"
NA_PRODUCTION = "sellingpartnerapi-na.amazon.com"
EU_SANDBOX = "sandbox.sellingpartnerapi-eu.amazon.com"
LWA = "api.amazon.com"
US = "ATVPDKIKX0DER"
CA = "A2EUQ1WTGCTBG2"
DE = "A1PA6795UKMFR9"
NORTHWIND = "A2Q8VY7RM1XJ6N"  # NA seller, US
MAPLE = "A1T4LNCS3XZ9PB"  # NA seller, US + CA
RHEIN = "A3K7FJ2W9QZ8RD"  # EU seller, DE
ADAPTER = Path(__file__).resolve().parents[3] / "examples" / "adapters" / "amazon_adapter.py"
SINCE = "2020-01-01T00:00:00Z"


@dataclass
class FakeClock:
    """Both engine clocks: `now` is Unix time, `mono` the limiter's monotonic clock."""

    now: float = 1_790_000_000.0
    mono: float = 1000.0

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.mono += seconds


def make_mock(*scenarios: str, clock: FakeClock | None = None, environment: str = "sandbox") -> Mock:
    if clock is None:
        return Mock(Amazon, environment=environment, scenarios=scenarios)
    return Mock(
        Amazon, environment=environment, scenarios=scenarios, clock=clock.time, monotonic=clock.monotonic
    )


@dataclass
class Api:
    """Requests straight into `Mock.handle`, as a correct SP-API client sends them."""

    mock: Mock
    host: str = NA_SANDBOX
    tokens: dict[str, str] = field(default_factory=dict)  # seller -> access token

    @property
    def platform(self) -> Amazon:
        assert isinstance(self.mock.platform, Amazon)
        return self.mock.platform

    def token(self, seller: str = NORTHWIND) -> str:
        if seller not in self.tokens:
            self.tokens[seller] = self.platform.world.sellers[seller].access_token
        return self.tokens[seller]

    def send(
        self,
        method: str,
        path: str,
        query: list[tuple[str, str]] | None = None,
        *,
        body: Any = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        host: str | None = None,
    ) -> MockResponse:
        content = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        return self.mock.handle(
            MockRequest.build(
                method,
                path,
                host=host or self.host,
                query_string=urlencode(query or []),
                headers=list((headers or {}).items()),
                body=content,
            )
        )

    def call(
        self,
        method: str,
        path: str,
        query: list[tuple[str, str]] | None = None,
        *,
        seller: str = NORTHWIND,
        body: Any = None,
        host: str | None = None,
        token: str | None = None,
    ) -> MockResponse:
        headers = {"x-amz-access-token": token or self.token(seller), "x-amz-date": "20261121T120000Z"}
        if body is not None:
            headers["content-type"] = "application/json"
        return self.send(method, path, query, body=body, headers=headers, host=host)

    def orders(self, query: list[tuple[str, str]] | None = None, **kwargs: Any) -> MockResponse:
        base = [("MarketplaceIds", US), ("CreatedAfter", SINCE)]
        return self.call("GET", "/orders/v0/orders", query if query is not None else base, **kwargs)

    def all_orders(self, page: int = 3, seller: str = NORTHWIND, market: str = US) -> list[dict[str, Any]]:
        query = [("MarketplaceIds", market), ("CreatedAfter", SINCE), ("MaxResultsPerPage", str(page))]
        found: list[dict[str, Any]] = []
        while True:
            response = self.orders(query, seller=seller)
            assert response.status == 200, response.body
            payload = body(response)["payload"]
            found.extend(payload["Orders"])
            if "NextToken" not in payload:
                return found
            query = [("MarketplaceIds", market), ("NextToken", payload["NextToken"])]

    def lwa(self, **form: str) -> MockResponse:
        return self.send(
            "POST",
            "/auth/o2/token",
            raw=urlencode(form).encode(),
            headers={"content-type": "application/x-www-form-urlencoded"},
            host=LWA,
        )

    def exchange(self) -> MockResponse:
        creds = self.mock.credentials
        return self.lwa(
            grant_type="refresh_token",
            refresh_token=creds["SP_API_REFRESH_TOKEN"],
            client_id=creds["LWA_APP_ID"],
            client_secret=creds["LWA_CLIENT_SECRET"],
        )


def body(response: MockResponse) -> Any:
    return json.loads(response.body)


def error_of(response: MockResponse) -> dict[str, str]:
    errors = body(response)["errors"]
    assert isinstance(errors, list)
    assert len(errors) == 1
    first: dict[str, str] = errors[0]
    assert set(first) == {"code", "message", "details"}
    return first


def listing_path(sku: str, seller: str = NORTHWIND) -> str:
    return f"/listings/2021-08-01/items/{seller}/{sku}"


def inventory_patch(quantity: Any) -> dict[str, Any]:
    return {
        "productType": "PRODUCT",
        "patches": [
            {
                "op": "replace",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": quantity}],
            }
        ],
    }


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api(clock: FakeClock) -> Iterator[Api]:
    mock = make_mock(clock=clock)
    yield Api(mock)
    mock.close()


@pytest.fixture(scope="session")
def adapter_module() -> ModuleType:
    """The reference adapter, imported from its path as the module `amazon_adapter`."""
    spec = importlib.util.spec_from_file_location("amazon_adapter", ADAPTER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["amazon_adapter"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module
