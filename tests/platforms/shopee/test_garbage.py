"""Garbage in never gets a 5xx or a traceback out: Shopee's 4xx error body, always."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clawcheck.platforms.model import MockRequest

from .conftest import SANDBOX_HOST, FakeClock, ShopeeClient, make_mock

ROUTES = [
    ("GET", "/api/v2/order/get_order_list"),
    ("GET", "/api/v2/order/get_order_detail"),
    ("GET", "/api/v2/logistics/get_shipping_parameter"),
    ("POST", "/api/v2/logistics/ship_order"),
    ("GET", "/api/v2/logistics/get_tracking_number"),
    ("GET", "/api/v2/product/get_item_base_info"),
    ("GET", "/api/v2/product/get_model_list"),
    ("POST", "/api/v2/product/update_stock"),
    ("POST", "/api/v2/auth/token/get"),
    ("POST", "/api/v2/auth/access_token/get"),
]
NAMES = [
    "time_range_field", "time_from", "time_to", "page_size", "cursor", "order_status", "order_sn_list",
    "order_sn", "item_id", "item_id_list", "response_optional_fields", "package_number",
    "request_order_status_pending", "need_tax_info",
]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", "create_time", "READY_TO_SHIP", "800123456", "1e9", "NaN", "true", ",,,", "%00"]),
)
KEYS = st.sampled_from(
    [*NAMES, "stock_list", "seller_stock", "model_id", "stock", "pickup", "dropoff", "refresh_token",
     "shop_id", "partner_id", "code", "address_id", "pickup_time_id", "branch_id"]
)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=20)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=12,
)
SETTINGS = settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def assert_shopee_error_or_success(status: int, body: bytes) -> None:
    assert status < 500, body
    data = json.loads(body)
    assert isinstance(data["request_id"], str)
    if status >= 400:
        assert data["error"]
        assert isinstance(data["message"], str)


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_signed_requests_with_random_parameters_and_bodies(method: str, path: str) -> None:
    clock = FakeClock()
    client = ShopeeClient(make_mock(clock), clock)

    @SETTINGS
    @given(params=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=6), body=JSON)
    def run(params: dict[str, str], body: Any) -> None:
        answer = client.call(method, path, params, body if method == "POST" else None)
        assert answer.status < 500, answer.data
        assert answer.data["error"] or answer.status == 200

    run()


@pytest.mark.parametrize(
    "raw",
    [b"{", b"null", b"[]", b'"text"', b"\xff\xfe", b'{"item_id": 1e400}', b"{" * 5000 + b"}" * 5000],
    ids=["truncated", "null", "array", "string", "not-utf8", "huge-float", "deep"],
)
@pytest.mark.parametrize(
    "path", ["/api/v2/logistics/ship_order", "/api/v2/product/update_stock", "/api/v2/auth/access_token/get"]
)
def test_malformed_json_bodies_are_error_param(client: ShopeeClient, raw: bytes, path: str) -> None:
    answer = client.call("POST", path, raw_body=raw)
    assert (answer.status, answer.error) == (400, "error_param")


@pytest.mark.parametrize(
    "query",
    ["", "partner_id=%ff%fe", "partner_id=1&partner_id=2", "timestamp=-1", "sign=" + "a" * 10000, "a" * 5000],
)
def test_unsigned_garbage_queries_are_refused(query: str) -> None:
    mock = make_mock(FakeClock())
    response = mock.handle(
        MockRequest.build("GET", "/api/v2/order/get_order_list", host=SANDBOX_HOST, query_string=query)
    )
    assert response.status in (400, 403)
    assert_shopee_error_or_success(response.status, response.body)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/api/v2/shop/nope", 404), ("DELETE", "/api/v2/order/get_order_list", 404), ("GET", "/", 404)],
)
def test_unknown_paths_and_methods_are_error_not_found(method: str, path: str, status: int) -> None:
    mock = make_mock(FakeClock())
    response = mock.handle(MockRequest.build(method, path, host=SANDBOX_HOST))
    assert response.status == status
    assert json.loads(response.body)["error"] == "error_not_found"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"time_from": "99999999999999999999"}, "time_from"),
        ({"time_range_field": "pay_time"}, "time_range_field"),
        ({"order_status": "LOST"}, "order_status"),
        ({"request_order_status_pending": "maybe"}, "request_order_status_pending"),
    ],
)
def test_bad_list_parameters_are_error_param(
    client: ShopeeClient, params: dict[str, str], fragment: str
) -> None:
    answer = client.list_orders(**params)
    assert (answer.status, answer.error) == (400, "error_param")
    assert fragment in answer.data["message"]
    assert answer.data["message"].startswith("Wrong parameters, detail: ")


def test_more_than_fifty_ids_are_error_param(client: ShopeeClient) -> None:
    ids = ",".join(str(800123456 + n) for n in range(51))
    answer = client.call("GET", "/api/v2/product/get_item_base_info", {"item_id_list": ids})
    assert (answer.status, answer.error) == (400, "error_param")


@pytest.mark.parametrize(
    "body",
    [
        {"item_id": True, "stock_list": []},
        {"item_id": 800123456, "stock_list": []},
        {"item_id": 800123456, "stock_list": [{"seller_stock": [{"stock": -1}]}]},
        {"item_id": 800123456, "stock_list": [{"seller_stock": [{"stock": 1.5}]}]},
        {"item_id": 800123456, "stock_list": [{"seller_stock": "9"}]},
        {"item_id": 800123456, "stock_list": ["x"]},
        {"item_id": 2**64, "stock_list": [{"seller_stock": [{"stock": 1}]}]},
    ],
)
def test_bad_stock_bodies_are_error_param(client: ShopeeClient, body: dict[str, Any]) -> None:
    answer = client.call("POST", "/api/v2/product/update_stock", body=body)
    assert (answer.status, answer.error) == (400, "error_param")
