"""State: orders listed, paged, read, shipped and listed again; stock set and read back; webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx
import pytest
from tests.platforms.tiktok.support import (
    API,
    DETAIL,
    SEARCH,
    UK_PENDING_ORDER,
    UK_PENDING_PACKAGE,
    UK_PRODUCT,
    UK_SHOP,
    UK_SKU,
    US_CIPHER,
    US_PRODUCT,
    US_SKU,
    US_WAREHOUSES,
    Caller,
    FakeClock,
    refusal,
)

from clawcheck.platforms.engine import Mock

SHIP = f"/fulfillment/202309/packages/{UK_PENDING_PACKAGE}/ship"
TRACKING = f"/fulfillment/202309/orders/{UK_PENDING_ORDER}/tracking"
ROYAL_MAIL = "7117858858072016686"
SELF_SHIPMENT = {"self_shipment": {"tracking_number": "RM123456785GB", "shipping_provider_id": ROYAL_MAIL}}


def _product(caller: Caller, product_id: str = UK_PRODUCT, **kwargs: Any) -> dict[str, Any]:
    return caller.data("GET", f"/product/202309/products/{product_id}", **kwargs)


def _stock(product: dict[str, Any], sku_id: str) -> dict[str, int]:
    sku = next(s for s in product["skus"] if s["id"] == sku_id)
    return {row["warehouse_id"]: row["quantity"] for row in sku["inventory"]}


def test_pages_together_hold_every_order_of_the_shop_once_newest_first(caller: Caller) -> None:
    orders = caller.all_orders(page_size=2)
    assert len(orders) == len({o["id"] for o in orders}) == 5
    times = [o["create_time"] for o in orders]
    assert times == sorted(times, reverse=True)
    one_page = caller.data("POST", SEARCH, query={"page_size": "100"}, body={})
    assert one_page["next_page_token"] == ""
    assert [o["id"] for o in one_page["orders"]] == [o["id"] for o in orders]
    assert all(o["payment"]["currency"] == "GBP" for o in orders)


def test_sorting_and_filters(caller: Caller) -> None:
    ascending = caller.all_orders(page_size=3, sort_field="update_time", sort_order="ASC")
    assert [o["update_time"] for o in ascending] == sorted(o["update_time"] for o in ascending)
    pending = caller.all_orders(body={"order_status": "AWAITING_SHIPMENT"})
    assert len(pending) == 3
    assert {o["status"] for o in pending} == {"AWAITING_SHIPMENT"}
    newest = max(o["create_time"] for o in ascending)
    recent = caller.all_orders(body={"create_time_ge": newest, "create_time_lt": newest + 1})
    assert [o["create_time"] for o in recent] == [newest]


def test_each_shop_sees_its_own_orders(caller: Caller) -> None:
    caller.cipher = US_CIPHER
    us_orders = caller.all_orders()
    assert len(us_orders) == 4
    assert {o["payment"]["currency"] for o in us_orders} == {"USD"}


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ({}, {}),
        ({"page_size": "0"}, {}),
        ({"page_size": "101"}, {}),
        ({"page_size": "ten"}, {}),
        ({"page_size": "5", "page_token": "not-issued"}, {}),
        ({"page_size": "5", "sort_field": "price"}, {}),
        ({"page_size": "5", "sort_order": "up"}, {}),
        ({"page_size": "5"}, {"order_status": "SHIPPED"}),
        ({"page_size": "5"}, {"create_time_ge": "yesterday"}),
        ({"page_size": "5"}, {"update_time_lt": -1}),
        ({"page_size": "5"}, {"create_time_ge": True}),
    ],
)
def test_bad_search_parameters_are_36009004(
    caller: Caller, query: dict[str, str], body: dict[str, Any]
) -> None:
    status, code, message = refusal(caller.send("POST", SEARCH, query=query, body=body))
    assert (status, code) == (400, 36009004)
    assert message.startswith("invalid param error")


def test_order_detail_reads_up_to_50_orders_of_the_shop(caller: Caller) -> None:
    ids = [o["id"] for o in caller.all_orders()]
    orders = caller.data("GET", DETAIL, query={"ids": ",".join(reversed(ids))})["orders"]
    assert [o["id"] for o in orders] == list(reversed(ids))
    assert refusal(caller.send("GET", DETAIL, query={"ids": ",".join(str(n) for n in range(51))}))[:2] == (
        400,
        36009004,
    )
    us_order = "576461413038785705"
    assert refusal(caller.send("GET", DETAIL, query={"ids": us_order})) == (
        400,
        21008111,
        "The order or package does not belong to the current seller.",
    )


def test_shipping_a_package_moves_the_order_and_shows_everywhere(
    mock: Mock, caller: Caller, clock: FakeClock
) -> None:
    clock.advance(60)
    assert caller.data("POST", SHIP, body=SELF_SHIPMENT) == {}
    shipped = caller.data("GET", DETAIL, query={"ids": UK_PENDING_ORDER})["orders"][0]
    assert shipped["status"] == "IN_TRANSIT"
    assert shipped["tracking_number"] == "RM123456785GB"
    assert shipped["shipping_provider"] == "Royal Mail"
    assert shipped["update_time"] == int(clock())
    assert {item["package_status"] for item in shipped["line_items"]} == {"FULFILLING"}
    listed = {o["id"]: o["status"] for o in caller.all_orders()}
    assert listed[UK_PENDING_ORDER] == "IN_TRANSIT"
    assert list(listed.values()).count("AWAITING_SHIPMENT") == 2
    events = caller.data("GET", TRACKING)["tracking"]
    assert events[0] == {
        "description": "Seller has shipped your package",
        "update_time_millis": int(clock()) * 1000,
    }
    again = refusal(caller.send("POST", SHIP, body=SELF_SHIPMENT))
    assert again[:2] == (400, 21011007)


def test_handover_shipping_awaits_collection(caller: Caller) -> None:
    caller.data("POST", SHIP, body={"handover_method": "DROP_OFF"})
    order = caller.data("GET", DETAIL, query={"ids": UK_PENDING_ORDER})["orders"][0]
    assert (order["status"], order["shipping_type"]) == ("AWAITING_COLLECTION", "TIKTOK")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"handover_method": "TELEPORT"},
        {"self_shipment": "RM1"},
        {"self_shipment": {"tracking_number": "", "shipping_provider_id": ROYAL_MAIL}},
        {"self_shipment": {"tracking_number": "RM1", "shipping_provider_id": "1"}},
    ],
)
def test_bad_shipments_are_refused_and_change_nothing(caller: Caller, body: dict[str, Any]) -> None:
    assert refusal(caller.send("POST", SHIP, body=body))[:2] == (400, 36009004)
    assert (
        caller.data("GET", DETAIL, query={"ids": UK_PENDING_ORDER})["orders"][0]["status"]
        == "AWAITING_SHIPMENT"
    )


def test_unknown_packages_and_orders_are_not_the_sellers(caller: Caller) -> None:
    unknown = refusal(caller.send("POST", "/fulfillment/202309/packages/1/ship", body=SELF_SHIPMENT))
    assert unknown[:2] == (400, 21008111)
    assert refusal(caller.send("GET", "/fulfillment/202309/orders/42/tracking"))[:2] == (400, 21008111)


def test_shipping_sends_a_signed_order_status_change(mock: Mock, caller: Caller) -> None:
    caller.data("POST", SHIP, body=SELF_SHIPMENT)
    delivery = mock.deliveries[-1]
    assert delivery.topic == "ORDER_STATUS_CHANGE"
    payload = json.loads(delivery.body)
    assert payload["type"] == 1
    assert payload["shop_id"] == UK_SHOP
    assert payload["data"]["order_id"] == UK_PENDING_ORDER
    assert payload["data"]["order_status"] == "IN_TRANSIT"
    secret = mock.credentials["TIKTOK_APP_SECRET"].encode()
    expected = hmac.new(secret, mock.credentials["TIKTOK_APP_KEY"].encode() + delivery.body, hashlib.sha256)
    assert delivery.headers is not None
    assert delivery.headers["Authorization"] == expected.hexdigest()


def test_inventory_updates_are_visible_on_read(caller: Caller, clock: FakeClock) -> None:
    clock.advance(5)
    path = f"/product/202309/products/{UK_PRODUCT}/inventory/update"
    body = {"skus": [{"id": UK_SKU, "inventory": [{"quantity": 7}]}]}  # one warehouse: its id is optional
    assert caller.data("POST", path, body=body) == {}
    product = _product(caller)
    assert _stock(product, UK_SKU) == {"7068517275539719942": 7}
    assert product["update_time"] == int(clock())


def test_a_multi_warehouse_sku_needs_every_warehouse(caller: Caller) -> None:
    caller.cipher = US_CIPHER
    path = f"/product/202309/products/{US_PRODUCT}/inventory/update"
    partial = {"skus": [{"id": US_SKU, "inventory": [{"warehouse_id": US_WAREHOUSES[0], "quantity": 1}]}]}
    assert refusal(caller.send("POST", path, body=partial))[:2] == (400, 12019028)
    unnamed = {"skus": [{"id": US_SKU, "inventory": [{"quantity": 1}]}]}
    assert refusal(caller.send("POST", path, body=unnamed))[:2] == (400, 12019028)
    full = [{"warehouse_id": w, "quantity": q} for w, q in zip(US_WAREHOUSES, (3, 4), strict=True)]
    caller.data("POST", path, body={"skus": [{"id": US_SKU, "inventory": full}]})
    assert _stock(_product(caller, US_PRODUCT), US_SKU) == dict(zip(US_WAREHOUSES, (3, 4), strict=True))


@pytest.mark.parametrize(
    ("sku", "code"),
    [
        ({"id": "999", "inventory": [{"quantity": 1}]}, 12052557),
        ({"inventory": [{"quantity": 1}]}, 12052036),
        ({"id": UK_SKU, "inventory": [{"quantity": 100_000}]}, 12019024),
        ({"id": UK_SKU, "inventory": [{"quantity": -1}]}, 12019024),
        ({"id": UK_SKU, "inventory": [{"quantity": "5"}]}, 12019024),
        ({"id": UK_SKU, "inventory": [{"warehouse_id": "7159021384750928386", "quantity": 1}]}, 12052530),
        ({"id": UK_SKU, "inventory": []}, 36009004),
    ],
)
def test_bad_inventory_updates_are_refused_and_change_nothing(
    caller: Caller, sku: dict[str, Any], code: int
) -> None:
    path = f"/product/202309/products/{UK_PRODUCT}/inventory/update"
    assert refusal(caller.send("POST", path, body={"skus": [sku]}))[:2] == (400, code)
    assert _stock(_product(caller), UK_SKU) == {"7068517275539719942": 40}


def test_products_of_another_shop_do_not_exist_here(caller: Caller) -> None:
    assert refusal(caller.send("GET", f"/product/202309/products/{US_PRODUCT}")) == (
        400,
        12019150,
        "The product ID does not exist.",
    )


def test_a_simulated_buyer_order_appears_and_is_announced(mock: Mock, caller: Caller) -> None:
    created = caller.http.post(f"{API}/_clawcheck/orders", params={"shop": UK_SHOP})
    assert created.status_code == 201
    order = created.json()
    assert order["status"] == "AWAITING_SHIPMENT"
    assert order["id"] in {o["id"] for o in caller.all_orders()}
    assert json.loads(mock.deliveries[-1].body)["data"]["order_id"] == order["id"]


def test_reset_restores_the_seed(mock: Mock, caller: Caller) -> None:
    caller.data("POST", SHIP, body=SELF_SHIPMENT)
    assert httpx.post(f"{API}/_clawcheck/reset").status_code == 200
    caller.token = mock.credentials["TIKTOK_ACCESS_TOKEN"]
    assert (
        caller.data("GET", DETAIL, query={"ids": UK_PENDING_ORDER})["orders"][0]["status"]
        == "AWAITING_SHIPMENT"
    )
