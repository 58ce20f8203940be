"""Orders: create, duplicates, listing with cursors, the state machine and refunds."""

from __future__ import annotations

import pytest

from .conftest import Api, error_of, order_body


def test_create_order_shape(api: Api) -> None:
    body = order_body(
        lines=[
            {"sku": "SKU-RED-M", "quantity": 2, "unit_price": "19.99"},
            {"sku": "SKU-BLUE-L", "quantity": 1, "unit_price": "5"},
        ]
    )
    order = api.create_order(**body)
    assert order["order_id"].startswith("ord_")
    assert order["status"] == "created"
    assert order["shop_id"] == "shop_demo"
    assert order["total_amount"] == "44.98"
    assert order["refunded_amount"] == "0.00"
    assert order["lines"][1]["unit_price"] == "5.00"
    assert order["placed_at"] == "2026-03-19T08:30:00Z"
    assert order["created_at"].endswith("Z")
    assert api.get(f"/v2/orders/{order['order_id']}").json() == order


def test_create_does_not_touch_stock(api: Api) -> None:
    before = api.get("/v2/inventory/SKU-GREEN-S").json()["total_available"]
    api.create_order(lines=[{"sku": "SKU-GREEN-S", "quantity": 5, "unit_price": "1.00"}])
    assert api.get("/v2/inventory/SKU-GREEN-S").json()["total_available"] == before


def test_duplicate_platform_order_is_409(api: Api) -> None:
    body = order_body()
    api.create_order(**body)
    response = api.post("/v2/orders/create", body)  # a new idempotency key
    assert response.status_code == 409
    assert error_of(response)["code"] == "DUPLICATE_ORDER"
    assert api.post("/v2/orders/create", {**body, "platform": "amazon"}).status_code == 201


def test_unknown_order_is_404(api: Api) -> None:
    for response in (api.get("/v2/orders/ord_missing"), api.post("/v2/orders/ord_missing/pay")):
        assert response.status_code == 404
        assert error_of(response)["code"] == "ORDER_NOT_FOUND"


def test_list_is_newest_first_with_cursor_pages(fresh_api: Api) -> None:
    ids = [fresh_api.create_order()["order_id"] for _ in range(5)]
    fresh_api.post(f"/v2/orders/{ids[1]}/pay")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = fresh_api.get("/v2/orders", params=params).json()
        assert len(page["data"]) <= 2
        seen += [o["order_id"] for o in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]
    paid = fresh_api.get("/v2/orders", params={"status": "paid"}).json()
    assert [o["order_id"] for o in paid["data"]] == [ids[1]]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"cursor": "bogus"}, "INVALID_CURSOR"),
        ({"cursor": "eyJvZmZzZXQiOjIwfQ"}, "INVALID_CURSOR"),
        ({"limit": "0"}, "VALIDATION_ERROR"),
        ({"limit": "101"}, "VALIDATION_ERROR"),
        ({"limit": "ten"}, "VALIDATION_ERROR"),
        ({"status": "lost"}, "VALIDATION_ERROR"),
        ({"colour": "red"}, "VALIDATION_ERROR"),
    ],
)
def test_list_rejects_bad_queries(api: Api, params: dict[str, str], code: str) -> None:
    response = api.get("/v2/orders", params=params)
    assert response.status_code == 400
    assert error_of(response)["code"] == code


def test_full_lifecycle_to_delivered(api: Api) -> None:
    order_id = api.create_order()["order_id"]
    assert api.post(f"/v2/orders/{order_id}/pay").json()["status"] == "paid"
    shipment = api.post(
        "/v2/shipments/confirm", {"order_id": order_id, "carrier": "UPS", "tracking_number": "1Z999AA1"}
    ).json()
    assert api.get(f"/v2/orders/{order_id}").json()["status"] == "shipped"
    api.post(
        f"/v2/shipments/{shipment['shipment_id']}/events",
        {"type": "delivered", "occurred_at": "2026-03-22T16:40:00Z"},
    )
    assert api.get(f"/v2/orders/{order_id}").json()["status"] == "delivered"


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        (["pay"], "pay"),
        (["cancel"], "pay"),
        (["cancel"], "cancel"),
        (["pay", "cancel"], "cancel"),
        ([], "refund"),
        (["cancel"], "refund"),
        (["pay", "refund-all"], "refund"),
        (["pay", "refund-all"], "cancel"),
    ],
)
def test_invalid_transitions_are_409(api: Api, steps: list[str], action: str) -> None:
    order = api.create_order()
    order_id = order["order_id"]
    bodies = {"refund-all": {"amount": order["total_amount"]}, "refund": {"amount": "1.00"}, "cancel": {}}
    for step in steps:
        assert api.post(f"/v2/orders/{order_id}/{step.split('-')[0]}", bodies.get(step)).status_code == 200
    response = api.post(f"/v2/orders/{order_id}/{action}", bodies.get(action))
    assert response.status_code == 409
    assert error_of(response)["code"] == "INVALID_STATE_TRANSITION"


def test_cancel_from_created_and_paid_with_optional_reason(api: Api) -> None:
    first, second = api.create_order()["order_id"], api.create_order()["order_id"]
    assert api.post(f"/v2/orders/{first}/cancel").json()["status"] == "cancelled"
    api.post(f"/v2/orders/{second}/pay")
    cancelled = api.post(f"/v2/orders/{second}/cancel", {"reason": "buyer changed their mind"})
    assert cancelled.json()["status"] == "cancelled"


def test_partial_refunds_until_refunded(api: Api) -> None:
    order = api.create_order()  # total 39.98
    order_id = order["order_id"]
    api.post(f"/v2/orders/{order_id}/pay")
    partial = api.post(f"/v2/orders/{order_id}/refund", {"amount": "10", "reason": "damaged"}).json()
    assert (partial["status"], partial["refunded_amount"]) == ("paid", "10.00")
    too_much = api.post(f"/v2/orders/{order_id}/refund", {"amount": "29.99"})
    assert too_much.status_code == 409
    assert error_of(too_much)["code"] == "REFUND_EXCEEDS_TOTAL"
    for zero in ("0", "0.00"):
        response = api.post(f"/v2/orders/{order_id}/refund", {"amount": zero})
        assert error_of(response)["code"] == "REFUND_EXCEEDS_TOTAL"
    rest = api.post(f"/v2/orders/{order_id}/refund", {"amount": "29.98"}).json()
    assert (rest["status"], rest["refunded_amount"], rest["total_amount"]) == ("refunded", "39.98", "39.98")


def test_refund_after_shipping_keeps_shipped_until_total(api: Api) -> None:
    order_id = api.create_order()["order_id"]
    api.post(f"/v2/orders/{order_id}/pay")
    api.post("/v2/shipments/confirm", {"order_id": order_id, "carrier": "DHL", "tracking_number": "JD0001"})
    partial = api.post(f"/v2/orders/{order_id}/refund", {"amount": "0.01"}).json()
    assert partial["status"] == "shipped"


def test_cancel_releases_the_orders_reservations(fresh_api: Api) -> None:
    api = fresh_api
    order_id = api.create_order()["order_id"]
    mine = api.post(
        "/v2/inventory/reserve",
        {"sku": "SKU-RED-M", "warehouse_id": "WH-SZ-01", "quantity": 7, "order_id": order_id},
    ).json()
    other = api.post(
        "/v2/inventory/reserve", {"sku": "SKU-RED-M", "warehouse_id": "WH-SZ-01", "quantity": 3}
    ).json()
    assert api.get("/v2/inventory/SKU-RED-M").json()["total_available"] == 160 - 10
    api.post(f"/v2/orders/{order_id}/cancel", {"reason": "out of stock"})
    assert api.get("/v2/inventory/SKU-RED-M").json()["total_available"] == 160 - 3
    released = api.post("/v2/inventory/release", {"reservation_id": mine["reservation_id"]})
    assert released.status_code == 409
    assert error_of(released)["code"] == "RESERVATION_NOT_ACTIVE"
    assert api.post("/v2/inventory/release", {"reservation_id": other["reservation_id"]}).status_code == 200
