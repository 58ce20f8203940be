"""Runtime expressions of OpenAPI links, and the follow-up read they describe."""

from __future__ import annotations

from typing import Any

import pytest

from clawcheck.contract.checks import OperationInfo
from clawcheck.contract.exchange import Exchange, SentRequest
from clawcheck.contract.links import UNRESOLVED, build_read, evaluate, path_parameters
from clawcheck.contract.specindex import Link

from .helpers import BASE, exchange, operation, request

CONFIRM = "POST /v2/shipments/{shipment_id}/events"
TEMPLATE = "/v2/shipments/{shipment_id}/events"


@pytest.mark.parametrize(
    ("template", "path", "expected"),
    [
        ("/v2/orders/{order_id}", "/v2/orders/ord_1", {"order_id": "ord_1"}),
        ("/v2/orders/{order_id}/pay", "/v2/orders/ord_1/pay", {"order_id": "ord_1"}),
        ("/v2/a/{x}/b/{y}", "/v2/a/1/b/2", {"x": "1", "y": "2"}),
        ("/v2/orders", "/v2/orders", {}),
        ("/v2/orders/{order_id}", "/v2/orders/ord_1/pay", {}),
        ("/v2/orders/{order_id}", "/v2/orders/", {}),
        ("/v2/orders/{order_id}/pay", "/v2/orders/a/b/pay", {}),
        ("/v2/a.b/{id}", "/v2/aXb/1", {}),
        ("/v2/a.b/{id}", "/v2/a.b/1", {"id": "1"}),
        ("/v2/inventory/{sku}", "/base/v2/inventory/S", {}),
    ],
)
def test_path_parameters(template: str, path: str, expected: dict[str, str]) -> None:
    assert path_parameters(template, path) == expected


def test_path_parameters_with_a_hyphenated_name() -> None:
    assert path_parameters("/v2/orders/{order-id}", "/v2/orders/ord_1") == {"order-id": "ord_1"}


def source() -> Exchange:
    sent = SentRequest(
        "POST",
        f"{BASE}/v2/shipments/shp_7/events?notify=yes&notify=no&empty=",
        {"Authorization": "Bearer t", "X-OpenClaw-Shop-Id": "shop_demo", "Idempotency-Key": "k1"},
        b'{"type": "delivered", "lines": [{"sku": "SKU-1"}], "a/b": {"m~n": 7}}',
    )
    body = {
        "shipment_id": "shp_7",
        "order_id": "ord_9",
        "events": [{"event_id": "sev_1"}, {"event_id": "sev_2"}],
        "a/b": {"m~n": "escaped"},
        "zero": 0,
        "nothing": None,
    }
    return exchange(201, body, operation=CONFIRM, sent=sent, headers={"Location": "/v2/shipments/shp_7"})


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("$response.body#/order_id", "ord_9"),
        ("$response.body#/events/1/event_id", "sev_2"),
        ("$response.body#/a~1b/m~0n", "escaped"),
        ("$response.body#/zero", 0),
        ("$response.body#/nothing", None),
        ("$request.body#/type", "delivered"),
        ("$request.body#/lines/0/sku", "SKU-1"),
        ("$request.body#/a~1b/m~0n", 7),
        ("$request.path.shipment_id", "shp_7"),
        ("$request.query.notify", "yes"),
        ("$request.header.idempotency-key", "k1"),
        ("$request.header.X-OpenClaw-Shop-Id", "shop_demo"),
        ("$response.header.location", "/v2/shipments/shp_7"),
        ("$response.header.X-OpenClaw-Trace-Id", "trc_0123456789"),
        ("$statusCode", 201),
        ("literal", "literal"),
        (42, 42),
        (None, None),
        ({"nested": "$response.body#/order_id"}, {"nested": "$response.body#/order_id"}),
    ],
)
def test_evaluate(expression: Any, value: Any) -> None:
    assert evaluate(expression, source(), TEMPLATE) == value


def test_evaluate_whole_body() -> None:
    ex = source()
    assert evaluate("$response.body", ex, TEMPLATE) == ex.json()


@pytest.mark.parametrize(
    "expression",
    [
        "$response.body#/missing",
        "$response.body#/events/2/event_id",
        "$response.body#/events/x",
        "$response.body#/events/-1",
        "$response.body#/order_id/deeper",
        "$request.body#/missing",
        "$request.path.order_id",
        "$request.query.empty",
        "$request.query.absent",
        "$request.header.X-Absent",
        "$response.header.x-absent",
        "$url",
        "$method",
        "$unknown.thing",
    ],
)
def test_evaluate_unresolvable(expression: str) -> None:
    assert evaluate(expression, source(), TEMPLATE) is UNRESOLVED


def test_evaluate_body_pointer_on_a_non_json_response() -> None:
    ex = exchange(201, b"<html>", content_type="text/html")
    assert evaluate("$response.body#/order_id", ex, "/x") is UNRESOLVED


# -- build_read ----------------------------------------------------------------------------------------------

GET_ORDER = operation("GET /v2/orders/{order_id}")
LIST_ORDERS = operation("GET /v2/orders")
HEADERS = {"Authorization": "Bearer fresh", "X-OpenClaw-Shop-Id": "shop_demo"}


def link(
    parameters: dict[str, Any], target: OperationInfo = GET_ORDER, locations: dict[str, str] | None = None
) -> Link:
    return Link("L", target, parameters, locations or {"order_id": "path", "X-OpenClaw-Shop-Id": "header"})


def created(body: Any) -> Exchange:
    sent = request("POST", "/v2/orders/create", body={"a": 1}, key="k")
    return exchange(201, body, operation="POST /v2/orders/create", sent=sent)


def test_build_read_fills_the_path_and_passes_headers() -> None:
    parameters = {
        "path.order_id": "$response.body#/order_id",
        "header.X-OpenClaw-Shop-Id": "$request.header.X-OpenClaw-Shop-Id",
    }
    read = build_read(link(parameters), created({"order_id": "ord_1"}), "/v2/orders/create", BASE, HEADERS)
    assert read == SentRequest("GET", f"{BASE}/v2/orders/ord_1", HEADERS)
    assert read is not None
    assert read.headers is not HEADERS


def test_build_read_uses_the_target_operation_locations_for_unqualified_names() -> None:
    read = build_read(
        link({"order_id": "$response.body#/order_id"}), created({"order_id": "ord_2"}), "/x", BASE, {}
    )
    assert read is not None
    assert read.url == f"{BASE}/v2/orders/ord_2"


def test_build_read_quotes_path_values() -> None:
    read = build_read(
        link({"order_id": "$response.body#/order_id"}), created({"order_id": "a b/c?d"}), "/x", BASE, {}
    )
    assert read is not None
    assert read.url == f"{BASE}/v2/orders/a%20b%2Fc%3Fd"


def test_build_read_puts_query_parameters_in_the_query() -> None:
    parameters = {"query.status": "$response.body#/status", "query.limit": 1}
    read = build_read(link(parameters, LIST_ORDERS, {}), created({"status": "paid"}), "/x", BASE, {})
    assert read is not None
    assert read.url == f"{BASE}/v2/orders?status=paid&limit=1"


@pytest.mark.parametrize("body", [{}, {"order_id": None}, {"other": 1}], ids=["missing", "null", "other"])
def test_build_read_is_none_when_a_parameter_cannot_be_computed(body: Any) -> None:
    assert build_read(link({"order_id": "$response.body#/order_id"}), created(body), "/x", BASE, {}) is None


def test_build_read_is_none_when_the_path_keeps_a_template() -> None:
    assert build_read(link({}), created({"order_id": "ord_1"}), "/x", BASE, {}) is None


def test_build_read_with_a_dotted_parameter_name() -> None:
    read = build_read(link({"query.filter.status": "paid"}, LIST_ORDERS, {}), created({}), "/x", BASE, {})
    assert read is not None
    assert read.url == f"{BASE}/v2/orders?filter.status=paid"


def test_build_read_does_not_double_encode_request_path_values() -> None:
    sent = SentRequest("POST", f"{BASE}/v2/inventory/SKU%20A/hold", {}, None)
    ex = exchange(200, {}, operation="POST /v2/inventory/{sku}/hold", sent=sent)
    target = operation("GET /v2/inventory/{sku}")
    read = build_read(
        Link("L", target, {"sku": "$request.path.sku"}, {"sku": "path"}),
        ex,
        "/v2/inventory/{sku}/hold",
        BASE,
        {},
    )
    assert read is not None
    assert read.url == f"{BASE}/v2/inventory/SKU%20A"
