"""Garbage in never gets a 5xx or a traceback out: malformed bodies, odd queries, huge numbers."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.platforms.shopify.conftest import DEV

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import MockRequest
from clawcheck.platforms.shopify import Shopify

PATHS = [
    "/admin/api/2024-10/orders.json",
    "/admin/api/2024-10/orders/count.json",
    "/admin/api/2024-10/orders/5800000000001.json",
    "/admin/api/2024-10/orders/5800000000001/fulfillment_orders.json",
    "/admin/api/2024-10/orders/5800000000001/fulfillments.json",
    "/admin/api/2024-10/fulfillments.json",
    "/admin/api/2024-10/locations.json",
    "/admin/api/2024-10/products.json",
    "/admin/api/2024-10/variants/44000000001.json",
    "/admin/api/2024-10/inventory_levels.json",
    "/admin/api/2024-10/inventory_levels/set.json",
    "/admin/oauth/access_token",
]
NAMES = [
    "limit",
    "page_info",
    "fields",
    "status",
    "since_id",
    "ids",
    "created_at_min",
    "inventory_item_ids",
    "location_ids",
    "updated_at_min",
    "fulfillment_status",
    "financial_status",
    "client_id",
    "code",
]
VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "any", "2024-13-45T99:99:99Z", "9" * 400, "-1", "1,2,,x", "%", "\x00"]),
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "fulfillment",
                    "line_items_by_fulfillment_order",
                    "fulfillment_order_id",
                    "fulfillment_order_line_items",
                    "id",
                    "quantity",
                    "tracking_info",
                    "location_id",
                    "inventory_item_id",
                    "available",
                    "number",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
BODIES = st.one_of(
    st.binary(max_size=64),
    JSON.map(lambda value: json.dumps(value).encode()),
    st.just(
        b'{"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": 6100000000001}]}}'
    ),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    path=st.sampled_from(PATHS),
    query=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=4),
    body=BODIES,
    content_type=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", ""]),
)
def test_no_request_gets_a_server_error(
    method: str, path: str, query: list[tuple[str, str]], body: bytes, content_type: str
) -> None:
    mock = Mock(Shopify, enforce_rate_limits=False)
    token = mock.platform.state.access[DEV]
    request = MockRequest(
        method,
        "https",
        DEV,
        path,
        tuple(query),
        {"x-shopify-access-token": token, "content-type": content_type},
        body,
    )
    response = mock.handle(request)
    assert response.status < 500, response.body
    assert "errors" in json.loads(response.body) or response.status < 400 or path.startswith("/admin/oauth")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/api/2024-10/orders/%00.json",
        "/admin/api//orders.json",
        "/admin/api/2024-10/orders/../locations.json",
        "/admin/api/" + "9" * 5000 + "/orders.json",
        "/admin/api/2024-10/orders/" + "9" * 5000 + ".json",
        "/admin/api/2024-10/nope.json",
        "/",
    ],
)
def test_odd_paths_are_not_found(path: str) -> None:
    mock = Mock(Shopify)
    token = mock.platform.state.access[DEV]
    response = mock.handle(MockRequest("GET", "https", DEV, path, (), {"x-shopify-access-token": token}))
    assert response.status == 404
    assert json.loads(response.body) == {"errors": "Not Found"}
