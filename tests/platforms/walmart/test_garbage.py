"""Whatever a client sends, the mock answers Walmart's 4xx, never a 5xx or a traceback."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.platforms.walmart.support import Api, body, make_mock

from clawcheck.platforms.engine import Mock

PATHS = (
    "/v3/orders",
    "/v3/orders/released",
    "/v3/orders/4792059978938",
    "/v3/orders/4792059978938/acknowledge",
    "/v3/orders/4792059978938/shipping",
    "/v3/inventory",
    "/v3/token/detail",
    "/v3/token",
)
PARAMS = (
    "limit",
    "status",
    "createdStartDate",
    "createdEndDate",
    "cursor",
    "nextCursor",
    "sku",
    "productInfo",
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
# Walmart-shaped bodies with garbage in the leaves reach deeper than random JSON.
shipment_like = st.builds(
    lambda line, status, qty, info: {
        "orderShipment": {
            "orderLines": {
                "orderLine": [
                    {
                        "lineNumber": line,
                        "orderLineStatuses": {"orderLineStatus": [{**status, **qty, **info}]},
                    }
                ]
            }
        }
    },
    json_values,
    st.fixed_dictionaries({"status": st.sampled_from(["Shipped", "Created", 3])}),
    st.fixed_dictionaries({"statusQuantity": json_values | st.fixed_dictionaries({"amount": json_values})}),
    st.fixed_dictionaries({"trackingInfo": json_values}),
)


@pytest.fixture(scope="module")
def shared() -> tuple[Mock, Api]:
    mock = make_mock()
    api = Api(mock)
    api.login()
    return mock, api


def assert_walmart_4xx_or_ok(response: Any) -> None:
    assert response.status < 500, response.body
    if response.status >= 400:
        data = body(response)
        assert "error" in data or "errors" in data


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(PATHS),
    method=st.sampled_from(["GET", "POST", "PUT"]),
    params=st.dictionaries(st.sampled_from(PARAMS), st.text(max_size=30), max_size=4),
    payload=json_values | shipment_like,
)
def test_random_requests_get_a_walmart_answer(
    shared: tuple[Mock, Api], path: str, method: str, params: dict[str, str], payload: Any
) -> None:
    _, api = shared
    response = api.call(method, path, query=urlencode(params), json_body=payload)
    assert_walmart_4xx_or_ok(response)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=64), header=st.text(max_size=30))
def test_random_bytes_and_headers(shared: tuple[Mock, Api], raw: bytes, header: str) -> None:
    _, api = shared
    safe = header.encode("latin-1", "replace").decode("latin-1")
    for path in ("/v3/orders/4792059978938/shipping", "/v3/token"):
        response = api.call("POST", path, raw=raw, headers={"WM_SVC.NAME": safe, "Authorization": safe})
        assert_walmart_4xx_or_ok(response)


@pytest.mark.parametrize(
    ("method", "path", "query", "payload"),
    [
        ("GET", "/v3/orders", "limit=99999999999999999999", None),
        ("GET", "/v3/orders", "createdStartDate=0001-01-01&createdEndDate=9999-12-31T23:59:59Z", None),
        ("GET", "/v3/orders", "createdStartDate=2026-02-30", None),
        ("GET", "/v3/orders", "cursor=%00%ff", None),
        ("GET", "/v3/orders/" + "9" * 5000, "", None),
        ("GET", "/v3/inventory", "sku=" + "%F0%9F%90%9F" * 50, None),
        (
            "POST",
            "/v3/orders/4792059978938/shipping",
            "",
            {"orderShipment": {"orderLines": {"orderLine": []}}},
        ),
        ("POST", "/v3/orders/4792059978938/shipping", "", {"orderShipment": "x"}),
        (
            "POST",
            "/v3/orders/4792059978938/shipping",
            "",
            json.loads('{"orderShipment": {"orderLines": 1e999}}'),
        ),
        (
            "PUT",
            "/v3/inventory",
            "sku=EO-TENT-2P",
            {"sku": "EO-TENT-2P", "quantity": {"unit": "EACH", "amount": 1e308}},
        ),
        ("DELETE", "/v3/orders", "", None),
        ("GET", "/v3/nothing-here", "", None),
    ],
)
def test_hand_picked_garbage(api: Api, method: str, path: str, query: str, payload: Any) -> None:
    assert_walmart_4xx_or_ok(api.call(method, path, query=query, json_body=payload))


def test_unknown_path_is_the_gateways_404(api: Api) -> None:
    response = api.call("GET", "/v3/nothing-here")
    assert response.status == 404
    assert body(response)["error"][0]["code"] == "URI_NOT_FOUND.GMP_GATEWAY_API"
