"""The mock's world behaves like SP-API: orders, pages, items, shipments, inventory."""

from __future__ import annotations

import json

from clawcheck.platforms.model import MockRequest

from .conftest import (
    CA,
    DE,
    EU_SANDBOX,
    MAPLE,
    NORTHWIND,
    RHEIN,
    US,
    Api,
    FakeClock,
    body,
    error_of,
    inventory_patch,
    listing_path,
)

UNSHIPPED = "113-4829316-7720215"  # Northwind, two items, MFN
SHIPPED = "114-2093847-1160231"
PENDING = "112-5518829-3349016"
PARTIAL = "111-3087765-4419302"
AFN = "114-6650193-8842615"


def confirm(api: Api, order_id: str, lines: list[tuple[str, int]], **detail: object) -> int:
    package = {
        "packageReferenceId": "1",
        "carrierCode": "UPS",
        "trackingNumber": "1Z999AA10123456784",
        "shipDate": "2026-09-21T08:00:00Z",
        "orderItems": [{"orderItemId": item, "quantity": quantity} for item, quantity in lines],
        **detail,
    }
    path = f"/orders/v0/orders/{order_id}/shipmentConfirmation"
    return api.call("POST", path, body={"marketplaceId": US, "packageDetail": package}).status


def items_of(api: Api, order_id: str) -> list[dict[str, object]]:
    response = api.call("GET", f"/orders/v0/orders/{order_id}/orderItems")
    assert response.status == 200
    payload = body(response)["payload"]
    assert payload["AmazonOrderId"] == order_id
    items: list[dict[str, object]] = payload["OrderItems"]
    return items


def status_of(api: Api, order_id: str) -> str:
    status: str = body(api.call("GET", f"/orders/v0/orders/{order_id}"))["payload"]["OrderStatus"]
    return status


# -- listing orders ----------------------------------------------------------------------


def test_pages_cover_every_order_of_the_seller_once_in_purchase_order(api: Api) -> None:
    every = api.all_orders(page=100)
    paged = api.all_orders(page=3)
    assert [o["AmazonOrderId"] for o in paged] == [o["AmazonOrderId"] for o in every]
    assert len(every) == 8
    assert [o["PurchaseDate"] for o in every] == sorted(o["PurchaseDate"] for o in every)
    assert {o["MarketplaceId"] for o in every} == {US}


def test_a_page_carries_a_next_token_only_while_orders_remain(api: Api) -> None:
    query = [("MarketplaceIds", US), ("CreatedAfter", "2020-01-01T00:00:00Z"), ("MaxResultsPerPage", "8")]
    payload = body(api.orders(query))["payload"]
    assert len(payload["Orders"]) == 8
    assert "NextToken" not in payload
    assert payload["CreatedBefore"].endswith("Z")


def test_next_token_replays_the_original_criteria(api: Api) -> None:
    query = [
        ("MarketplaceIds", US),
        ("CreatedAfter", "2020-01-01T00:00:00Z"),
        ("OrderStatuses", "Unshipped"),
        ("MaxResultsPerPage", "2"),
    ]
    first = body(api.orders(query))["payload"]
    second = body(api.orders([("MarketplaceIds", US), ("NextToken", first["NextToken"])]))["payload"]
    statuses = {o["OrderStatus"] for o in first["Orders"] + second["Orders"]}
    assert statuses == {"Unshipped"}
    assert len(first["Orders"] + second["Orders"]) == 3


def test_filters_by_status_channel_and_ids(api: Api) -> None:
    def ids(extra: list[tuple[str, str]]) -> set[str]:
        response = api.orders([("MarketplaceIds", US), ("CreatedAfter", "2020-01-01T00:00:00Z"), *extra])
        return {o["AmazonOrderId"] for o in body(response)["payload"]["Orders"]}

    assert ids([("FulfillmentChannels", "AFN")]) == {AFN}
    assert ids([("OrderStatuses", "Pending,Canceled")]) == {PENDING, "113-9902741-0021877"}
    assert ids([("AmazonOrderIds", f"{SHIPPED},{PENDING}")]) == {SHIPPED, PENDING}


def test_last_updated_after_finds_what_changed(api: Api, clock: FakeClock) -> None:
    clock.advance(600)
    assert confirm(api, UNSHIPPED, [(str(i["OrderItemId"]), 1) for i in items_of(api, UNSHIPPED)]) == 204
    window = [("MarketplaceIds", US), ("LastUpdatedAfter", "2026-09-21T12:00:00Z")]
    payload = body(api.orders(window))["payload"]
    assert [o["AmazonOrderId"] for o in payload["Orders"]] == [UNSHIPPED]
    assert "LastUpdatedBefore" in payload


def test_each_seller_sees_only_its_own_orders_and_marketplaces(api: Api) -> None:
    maple = api.all_orders(seller=MAPLE, market=f"{US},{CA}")
    assert len(maple) == 4
    assert {o["MarketplaceId"] for o in maple} == {US, CA}
    other = api.call("GET", f"/orders/v0/orders/{UNSHIPPED}", seller=MAPLE)
    assert other.status == 404
    assert error_of(other)["code"] == "NotFound"


def test_an_eu_seller_uses_the_eu_endpoint(api: Api) -> None:
    query = [("MarketplaceIds", DE), ("CreatedAfter", "2020-01-01T00:00:00Z")]
    assert api.orders(query, seller=RHEIN).status == 400  # DE is not served by the NA endpoint
    response = api.orders(query, seller=RHEIN, host=EU_SANDBOX)
    assert response.status == 200
    assert len(body(response)["payload"]["Orders"]) == 3


def test_order_json_has_the_fields_clients_read(api: Api) -> None:
    order = body(api.call("GET", f"/orders/v0/orders/{UNSHIPPED}"))["payload"]
    assert order["OrderStatus"] == "Unshipped"
    assert order["FulfillmentChannel"] == "MFN"
    assert order["OrderTotal"] == {"CurrencyCode": "USD", "Amount": "238.99"}
    assert order["NumberOfItemsUnshipped"] == 3
    assert order["NumberOfItemsShipped"] == 0
    assert set(order["ShippingAddress"]) == {"City", "StateOrRegion", "PostalCode", "CountryCode"}
    assert order["PurchaseDate"].endswith("Z")
    assert order["LastUpdateDate"].endswith("Z")


def test_a_pending_order_shows_no_prices(api: Api) -> None:
    order = body(api.call("GET", f"/orders/v0/orders/{PENDING}"))["payload"]
    assert "OrderTotal" not in order
    assert "ShippingAddress" not in order
    assert all("ItemPrice" not in item for item in items_of(api, PENDING))
    assert all("ItemPrice" in item for item in items_of(api, UNSHIPPED))


# -- shipping ----------------------------------------------------------------------------


def test_confirming_every_item_ships_the_order_and_the_list_shows_it(api: Api, clock: FakeClock) -> None:
    before = body(api.call("GET", f"/orders/v0/orders/{UNSHIPPED}"))["payload"]
    clock.advance(60)
    lines = [(str(i["OrderItemId"]), int(str(i["QuantityOrdered"]))) for i in items_of(api, UNSHIPPED)]
    assert confirm(api, UNSHIPPED, lines) == 204
    listed = {o["AmazonOrderId"]: o for o in api.all_orders()}
    assert listed[UNSHIPPED]["OrderStatus"] == "Shipped"
    assert listed[UNSHIPPED]["NumberOfItemsShipped"] == 3
    assert listed[UNSHIPPED]["LastUpdateDate"] > before["LastUpdateDate"]
    assert all(i["QuantityShipped"] == i["QuantityOrdered"] for i in items_of(api, UNSHIPPED))


def test_shipping_some_items_makes_the_order_partially_shipped(api: Api) -> None:
    first = items_of(api, UNSHIPPED)[0]
    assert confirm(api, UNSHIPPED, [(str(first["OrderItemId"]), 1)]) == 204
    assert status_of(api, UNSHIPPED) == "PartiallyShipped"
    rest = [(str(i["OrderItemId"]), int(str(i["QuantityOrdered"]))) for i in items_of(api, UNSHIPPED)[1:]]
    assert confirm(api, UNSHIPPED, rest) == 204
    assert status_of(api, UNSHIPPED) == "Shipped"


def test_shipment_confirmation_refusals(api: Api) -> None:
    item = str(items_of(api, UNSHIPPED)[0]["OrderItemId"])
    assert confirm(api, SHIPPED, [(str(items_of(api, SHIPPED)[0]["OrderItemId"]), 1)]) == 400
    assert confirm(api, AFN, [(str(items_of(api, AFN)[0]["OrderItemId"]), 1)]) == 400
    assert confirm(api, UNSHIPPED, [(item, 2)]) == 400  # more than ordered
    assert confirm(api, UNSHIPPED, [("99999999999999", 1)]) == 400
    assert confirm(api, UNSHIPPED, [(item, 1)], shipDate="yesterday") == 400
    assert confirm(api, UNSHIPPED, [(item, 1)], carrierCode="Others") == 400  # needs carrierName
    assert confirm(api, UNSHIPPED, [(item, 1)], packageReferenceId="A-1") == 400
    assert confirm(api, "999-0000000-0000000", [(item, 1)]) == 404
    assert status_of(api, UNSHIPPED) == "Unshipped"  # nothing refused changed anything


def test_partially_shipped_orders_ship_their_remaining_items(api: Api) -> None:
    waiting = [i for i in items_of(api, PARTIAL) if i["QuantityShipped"] != i["QuantityOrdered"]]
    assert confirm(api, PARTIAL, [(str(waiting[0]["OrderItemId"]), 1)]) == 204
    assert status_of(api, PARTIAL) == "Shipped"


def test_a_shipment_sends_an_order_change_notification(api: Api) -> None:
    lines = [(str(i["OrderItemId"]), int(str(i["QuantityOrdered"]))) for i in items_of(api, UNSHIPPED)]
    confirm(api, UNSHIPPED, lines)
    delivery = api.mock.deliveries[-1]
    assert delivery.topic == "ORDER_CHANGE"
    assert delivery.status is None
    notice = json.loads(delivery.body)
    change = notice["Payload"]["OrderChangeNotification"]
    assert notice["NotificationType"] == "ORDER_CHANGE"
    assert change["AmazonOrderId"] == UNSHIPPED
    assert change["SellerId"] == NORTHWIND
    assert change["Summary"]["OrderStatus"] == "Shipped"


# -- inventory ---------------------------------------------------------------------------


def quantity(api: Api, sku: str) -> object:
    query = [("marketplaceIds", US), ("includedData", "fulfillmentAvailability,summaries")]
    item = body(api.call("GET", listing_path(sku), query))
    return item["fulfillmentAvailability"][0].get("quantity")


def test_an_inventory_patch_is_visible_on_read(api: Api) -> None:
    assert quantity(api, "NW-TENT-2P") == 40
    response = api.call(
        "PATCH", listing_path("NW-TENT-2P"), [("marketplaceIds", US)], body=inventory_patch(12)
    )
    assert response.status == 200
    result = body(response)
    assert result["status"] == "ACCEPTED"
    assert result["sku"] == "NW-TENT-2P"
    assert result["issues"] == []
    assert quantity(api, "NW-TENT-2P") == 12


def test_a_bad_quantity_is_an_invalid_submission_that_changes_nothing(api: Api) -> None:
    for bad in (-1, 2**40, "7", 1.5, True, None):
        response = api.call(
            "PATCH", listing_path("NW-TENT-2P"), [("marketplaceIds", US)], body=inventory_patch(bad)
        )
        assert response.status == 200
        result = body(response)
        assert result["status"] == "INVALID"
        assert result["issues"][0]["severity"] == "ERROR"
    assert quantity(api, "NW-TENT-2P") == 40


def test_included_data_selects_the_sections(api: Api) -> None:
    default = body(api.call("GET", listing_path("NW-TENT-2P"), [("marketplaceIds", US)]))
    assert set(default) == {"sku", "summaries"}
    everything = [("marketplaceIds", US), ("includedData", "summaries,attributes,issues,offers")]
    full = body(api.call("GET", listing_path("NW-TENT-2P"), everything))
    assert full["offers"][0]["price"] == {"currencyCode": "USD", "amount": "189.99"}
    assert full["attributes"]["fulfillment_availability"][0]["quantity"] == 40


def test_out_of_stock_listing_is_not_buyable(api: Api) -> None:
    summary = body(api.call("GET", listing_path("NW-LAMP-USB"), [("marketplaceIds", US)]))["summaries"][0]
    assert summary["status"] == ["DISCOVERABLE"]


def test_listings_of_unknown_skus_and_other_sellers(api: Api) -> None:
    missing = api.call("GET", listing_path("NOPE"), [("marketplaceIds", US)])
    assert missing.status == 404
    assert error_of(missing)["code"] == "NOT_FOUND"
    foreign = api.call("GET", listing_path("ML-MUG-SET4", MAPLE), [("marketplaceIds", US)])
    assert foreign.status == 403
    assert error_of(foreign)["code"] == "Unauthorized"
    unknown_market = api.call("GET", listing_path("NW-TENT-2P"), [("marketplaceIds", "XXXX")])
    assert unknown_market.status == 400
    assert error_of(unknown_market)["code"] == "INVALID_ARGUMENT"


# -- control API -------------------------------------------------------------------------


def test_a_simulated_order_appears_in_the_list_and_takes_stock(api: Api) -> None:
    before = quantity(api, "NW-TENT-2P")
    created = api.mock.handle(
        MockRequest.build("POST", "/_clawcheck/orders", host="x", query_string="shop=" + NORTHWIND)
    )
    assert created.status == 201
    order_id = body(created)["AmazonOrderId"]
    assert order_id in {o["AmazonOrderId"] for o in api.all_orders()}
    assert quantity(api, "NW-TENT-2P") == int(str(before)) - 1


def test_reset_restores_the_seed(api: Api) -> None:
    api.call("PATCH", listing_path("NW-TENT-2P"), [("marketplaceIds", US)], body=inventory_patch(1))
    api.mock.reset()
    api.tokens.clear()
    assert quantity(api, "NW-TENT-2P") == 40
