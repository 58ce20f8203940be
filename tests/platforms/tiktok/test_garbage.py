"""Garbage in, TikTok's 4xx out: never a 5xx, never a traceback, always the error envelope."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.platforms.tiktok.support import UK_CIPHER, UK_PENDING_PACKAGE, UK_PRODUCT

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import MockRequest, MockResponse
from clawcheck.platforms.tiktok import TikTokShop
from clawcheck.platforms.tiktok.signing import sign_request

HOST = "open-api-sandbox.tiktokglobalshop.com"
ROUTES = [
    ("POST", "/order/202309/orders/search"),
    ("GET", "/order/202309/orders"),
    ("POST", f"/fulfillment/202309/packages/{UK_PENDING_PACKAGE}/ship"),
    ("GET", "/fulfillment/202309/orders/{x}/tracking"),
    ("GET", "/product/202309/products/{x}"),
    ("POST", f"/product/202309/products/{UK_PRODUCT}/inventory/update"),
]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
FIELDS = (
    "skus",
    "id",
    "inventory",
    "quantity",
    "warehouse_id",
    "self_shipment",
    "handover_method",
    "tracking_number",
    "shipping_provider_id",
    "order_status",
    "create_time_ge",
    "update_time_lt",
)
BODIES = st.one_of(
    st.binary(max_size=64),
    JSON.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=4).map(lambda v: json.dumps(v).encode()),
)
QUERY_VALUES = st.text(max_size=30) | st.integers(min_value=-(10**30), max_value=10**30).map(str)


def _signed(
    mock: Mock, method: str, path: str, query: dict[str, str], body: bytes, content_type: str
) -> MockRequest:
    credentials = mock.credentials
    pairs = {**query, "app_key": credentials["TIKTOK_APP_KEY"], "timestamp": str(int(mock.now()))}
    pairs.setdefault("shop_cipher", UK_CIPHER)
    items = list(pairs.items())
    items.append(("sign", sign_request(credentials["TIKTOK_APP_SECRET"], path, items, body, content_type)))
    headers = {"content-type": content_type, "x-tts-access-token": credentials["TIKTOK_ACCESS_TOKEN"]}
    return MockRequest(method, "https", HOST, path, tuple(items), headers, body)


def _assert_refused_or_ok(response: MockResponse) -> None:
    assert response.status < 500, response.body
    payload: Any = json.loads(response.body)
    assert isinstance(payload["code"], int)
    assert (payload["code"] == 0) == (response.status == 200), payload
    assert isinstance(payload["message"], str)


def test_signed_garbage_reaching_every_handler_is_refused_cleanly() -> None:
    mock = Mock(TikTokShop, enforce_rate_limits=False)

    @settings(max_examples=150, deadline=None, database=None)
    @given(
        route=st.sampled_from(ROUTES),
        segment=st.text(st.characters(exclude_characters="/?#"), min_size=1, max_size=25),
        query=st.dictionaries(
            st.sampled_from(
                ["page_size", "page_token", "sort_field", "sort_order", "ids", "shop_cipher", "x"]
            ),
            QUERY_VALUES,
            max_size=4,
        ),
        body=BODIES,
        content_type=st.sampled_from(
            ["application/json", "text/plain", "application/json; charset=utf-8", ""]
        ),
    )
    def refused_cleanly(
        route: tuple[str, str], segment: str, query: dict[str, str], body: bytes, content_type: str
    ) -> None:
        method, path = route
        request = _signed(mock, method, path.replace("{x}", segment), query, body, content_type)
        _assert_refused_or_ok(mock.handle(request))

    refused_cleanly()
    assert not [e for e in mock.journal.entries() if any(n.startswith("mock-error") for n in e.notes)]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"{", id="truncated"),
        pytest.param(b"\xff\xfe\x00", id="not-utf8"),
        pytest.param(b"[" * 5000 + b"]" * 5000, id="nested-5000"),
        pytest.param(
            b'{"skus": [{"id": "1729582718312380201", "inventory": [{"quantity": 1e999}]}]}', id="inf"
        ),
        pytest.param(
            b'{"skus": [{"id": "1729582718312380201", "inventory": [{"quantity": ' + b"9" * 5000 + b"}]}]}",
            id="5000-digits",
        ),
        pytest.param(b'"just a string"', id="string"),
        pytest.param(b"null", id="null"),
    ],
)
def test_hand_picked_malformed_bodies_are_4xx(body: bytes) -> None:
    mock = Mock(TikTokShop)
    path = f"/product/202309/products/{UK_PRODUCT}/inventory/update"
    response = mock.handle(_signed(mock, "POST", path, {}, body, "application/json"))
    _assert_refused_or_ok(response)
    assert response.status == 400


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/order/202309/orders/search", 405),
        ("POST", "/order/202409/orders/search", 404),
        ("GET", "/", 404),
        ("DELETE", f"/product/202309/products/{UK_PRODUCT}", 405),
    ],
)
def test_unknown_paths_and_methods(method: str, path: str, status: int) -> None:
    mock = Mock(TikTokShop)
    response = mock.handle(MockRequest(method, "https", HOST, path))
    _assert_refused_or_ok(response)
    assert response.status == status


def test_unsigned_garbage_is_refused_before_any_handler_runs() -> None:
    mock = Mock(TikTokShop)
    query = (("app_key", "\x00"), ("timestamp", "9" * 400), ("sign", "é"), ("shop_cipher", "%%"))
    response = mock.handle(
        MockRequest("POST", "https", HOST, "/order/202309/orders/search", query, {}, b"\xff")
    )
    _assert_refused_or_ok(response)
    assert response.status == 400
