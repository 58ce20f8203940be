"""Realistic answers, successes and refusals, conform to specs/platforms/tiktok.yaml.

The schema-driven contract test (tests/platforms/test_contracts.py) mostly reaches refusals,
since random ids are unknown ids; these calls reach every success too.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
import schemathesis
from tests.platforms.tiktok.support import (
    AUTH,
    DETAIL,
    SEARCH,
    SHOPS,
    UK_PENDING_ORDER,
    UK_PENDING_PACKAGE,
    UK_PRODUCT,
    UK_SKU,
    Caller,
    FakeClock,
)

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.registry import spec_path
from clawcheck.platforms.tiktok import TikTokShop

SCHEMA = schemathesis.openapi.from_path(spec_path(TikTokShop))
SHIP = "/fulfillment/202309/packages/{package_id}/ship"
TRACKING = "/fulfillment/202309/orders/{order_id}/tracking"
PRODUCT = "/product/202309/products/{product_id}"
INVENTORY = "/product/202309/products/{product_id}/inventory/update"
SELF_SHIPMENT = {"self_shipment": {"tracking_number": "RM1", "shipping_provider_id": "7117858858072016686"}}


def _token(caller: Caller, path: str, **params: str) -> httpx.Response:
    credentials = caller.mock.credentials
    query = {
        "app_key": credentials["TIKTOK_APP_KEY"],
        "app_secret": credentials["TIKTOK_APP_SECRET"],
        **params,
    }
    return caller.http.get(AUTH + path, params=query)


Exchange = Callable[[Caller], httpx.Response]
CASES: list[tuple[str, str, str, Exchange]] = [
    ("shops", SHOPS, "GET", lambda c: c.send("GET", SHOPS, cipher=None)),
    ("search", SEARCH, "POST", lambda c: c.send("POST", SEARCH, query={"page_size": "2"}, body={})),
    ("detail", DETAIL, "GET", lambda c: c.send("GET", DETAIL, query={"ids": UK_PENDING_ORDER})),
    (
        "ship",
        SHIP,
        "POST",
        lambda c: c.send("POST", SHIP.format(package_id=UK_PENDING_PACKAGE), body=SELF_SHIPMENT),
    ),
    ("tracking", TRACKING, "GET", lambda c: c.send("GET", TRACKING.format(order_id="576461413038785703"))),
    ("product", PRODUCT, "GET", lambda c: c.send("GET", PRODUCT.format(product_id=UK_PRODUCT))),
    (
        "inventory",
        INVENTORY,
        "POST",
        lambda c: c.send(
            "POST",
            INVENTORY.format(product_id=UK_PRODUCT),
            body={"skus": [{"id": UK_SKU, "inventory": [{"quantity": 3}]}]},
        ),
    ),
    (
        "refresh",
        "/api/v2/token/refresh",
        "GET",
        lambda c: _token(
            c,
            "/api/v2/token/refresh",
            refresh_token=c.mock.credentials["TIKTOK_REFRESH_TOKEN"],
            grant_type="refresh_token",
        ),
    ),
    (
        "token",
        "/api/v2/token/get",
        "GET",
        lambda c: _token(
            c,
            "/api/v2/token/get",
            auth_code=c.mock.credentials["TIKTOK_AUTH_CODE"],
            grant_type="authorized_code",
        ),
    ),
    ("token-refused", "/api/v2/token/get", "GET", lambda c: _token(c, "/api/v2/token/get", auth_code="x")),
    ("unsigned", SEARCH, "POST", lambda c: c.send("POST", SEARCH, spoil=lambda p, b: ({}, b))),
    ("expired", DETAIL, "GET", lambda c: c.send("GET", DETAIL, query={"ids": "1"}, token="nope")),
    ("unknown-id", PRODUCT, "GET", lambda c: c.send("GET", PRODUCT.format(product_id="1"))),
    (
        "bad-body",
        INVENTORY,
        "POST",
        lambda c: c.send("POST", INVENTORY.format(product_id=UK_PRODUCT), raw=b"{"),
    ),
]


@pytest.mark.parametrize(("path", "method", "exchange"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_answer_conforms_to_the_spec(caller: Caller, path: str, method: str, exchange: Exchange) -> None:
    response = exchange(caller)
    SCHEMA[path][method].validate_response(response)


def test_a_throttled_answer_conforms_to_the_spec(mock: Mock, caller: Caller, monotonic: FakeClock) -> None:
    responses = [caller.send("GET", DETAIL, query={"ids": UK_PENDING_ORDER}) for _ in range(51)]
    assert responses[-1].status_code == 429
    SCHEMA[DETAIL]["GET"].validate_response(responses[-1])
