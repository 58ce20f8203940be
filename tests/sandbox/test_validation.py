"""Bad input is always a 400 VALIDATION_ERROR naming the problem, never a 5xx."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import Api, error_of, new_key, order_body

ADJUST = {"sku": "SKU-RED-M", "warehouse_id": "WH-SZ-01", "delta": 1, "reason": "restock"}


def _raw(api: Api, path: str, content: bytes, content_type: str | None = "application/json") -> Any:
    headers = api.headers(**{"Idempotency-Key": new_key()})
    if content_type is not None:
        headers["Content-Type"] = content_type
    return api.http.post(path, headers=headers, content=content)


@pytest.mark.parametrize(
    ("content", "content_type", "says"),
    [
        (b"{nope", "application/json", "malformed JSON"),
        (b"", "application/json", "body is required"),
        (b"[]", "application/json", "JSON object"),
        (b"null", "application/json", "JSON object"),
        (b'"text"', "application/json", "JSON object"),
        (b'{"sku": "\xff"}', "application/json", "not UTF-8"),
        (b'{"delta": NaN}', "application/json", "malformed JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", "malformed JSON"),
        (b'{"delta": 1' + b"0" * 5000 + b"}", "application/json", "malformed JSON"),
        (b'{"sku": "SKU-RED-M"}', "text/plain", "Content-Type must be application/json"),
        (b'{"sku": "SKU-RED-M"}', None, "Content-Type must be application/json"),
        (b"sku=SKU-RED-M", "application/x-www-form-urlencoded", "Content-Type must be application/json"),
    ],
)
def test_malformed_bodies(api: Api, content: bytes, content_type: str | None, says: str) -> None:
    response = _raw(api, "/v2/inventory/adjust", content, content_type)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["type"]) == ("VALIDATION_ERROR", "validation")
    assert says in error["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"delta": True}, "delta"),
        ({"delta": 1.0}, "delta"),
        ({"delta": "1"}, "delta"),
        ({"delta": 0}, "delta"),
        ({"delta": 10**30}, "delta"),
        ({"delta": -1_000_001}, "delta"),
        ({"delta": None}, "delta"),
        ({"sku": "SKU RED"}, "sku"),
        ({"sku": "SKU-١٢"}, "sku"),  # Arabic-Indic digits are not [0-9]
        ({"sku": ""}, "sku"),
        ({"sku": 5}, "sku"),
        ({"warehouse_id": "wh-lower"}, "warehouse_id"),
        ({"reason": "theft"}, "reason"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_wrong_field_values_name_the_field(api: Api, change: dict[str, Any], field: str) -> None:
    response = api.post("/v2/inventory/adjust", {**ADJUST, **change})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert f"'{field}'" in error["message"]


@pytest.mark.parametrize("missing", ["sku", "warehouse_id", "delta", "reason"])
def test_missing_fields(api: Api, missing: str) -> None:
    body = {k: v for k, v in ADJUST.items() if k != missing}
    response = api.post("/v2/inventory/adjust", body)
    assert response.status_code == 400
    assert f"'{missing}' is required" in error_of(response)["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"platform": "ebay"}, "platform"),
        ({"currency": "usd"}, "currency"),
        ({"buyer": {"name": "Li", "country": "USA"}}, "buyer.country"),
        ({"buyer": {"name": "Li", "country": "US", "email": "not-an-email"}}, "buyer.email"),
        ({"buyer": {"name": "Li", "country": "US", "phone": "1"}}, "buyer.phone"),
        ({"lines": []}, "lines"),
        ({"lines": [{"sku": "SKU-RED-M", "quantity": 10_001, "unit_price": "1.00"}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "SKU-RED-M", "quantity": 1, "unit_price": "1.999"}]}, "lines[0].unit_price"),
        ({"lines": [{"sku": "SKU-RED-M", "quantity": 1, "unit_price": 1.5}]}, "lines[0].unit_price"),
        ({"lines": [{"sku": "SKU-RED-M", "quantity": 1, "unit_price": "１"}]}, "lines[0].unit_price"),
        ({"placed_at": "2026-03-19T16:30:00+08:00"}, "placed_at"),
        ({"placed_at": "2026-02-30T08:30:00Z"}, "placed_at"),
        ({"placed_at": "2026-03-19"}, "placed_at"),
        ({"platform_order_id": "x" * 129}, "platform_order_id"),
    ],
)
def test_create_order_validation(api: Api, change: dict[str, Any], field: str) -> None:
    response = api.post("/v2/orders/create", order_body(**change))
    assert response.status_code == 400, response.text
    assert f"'{field}'" in error_of(response)["message"]


def test_unicode_text_is_kept(api: Api) -> None:
    order = api.create_order(buyer={"name": "李伟 🦞", "country": "CN"}, platform_order_id="订单-1")
    assert order["buyer"] == {"name": "李伟 🦞", "country": "CN"}
    assert api.get(f"/v2/orders/{order['order_id']}").json()["platform_order_id"] == "订单-1"


def test_fractional_seconds_in_utc_are_kept(api: Api) -> None:
    order = api.create_order(placed_at="2026-03-19T08:30:00.5Z")
    assert order["placed_at"] == "2026-03-19T08:30:00.500Z"


def test_lone_surrogates_are_rejected(api: Api) -> None:
    body = json.dumps(order_body(platform_order_id="bad\ud800")).encode()  # ASCII: \ud800 escaped
    response = _raw(api, "/v2/orders/create", body)
    assert response.status_code == 400
    assert "'platform_order_id'" in error_of(response)["message"]


def test_unknown_field_names_are_safe_in_messages(api: Api) -> None:
    response = _raw(api, "/v2/inventory/adjust", b'{"\\ud800": 1}')
    assert response.status_code == 400
    assert "unknown field" in error_of(response)["message"]


def test_cancel_body_is_optional_but_checked(api: Api) -> None:
    order_id = api.create_order()["order_id"]
    assert api.post(f"/v2/orders/{order_id}/cancel", {"reason": "x" * 501}).status_code == 400
    assert api.post(f"/v2/orders/{order_id}/cancel", {"why": "x"}).status_code == 400
    assert _raw(api, f"/v2/orders/{order_id}/cancel", b"").status_code == 200


def test_oversized_body_is_400_not_a_crash(api: Api) -> None:
    response = _raw(api, "/v2/inventory/adjust", b'{"sku": "' + b"x" * (2 << 20) + b'"}')
    assert response.status_code == 400
    assert "larger than 1 MiB" in error_of(response)["message"]
