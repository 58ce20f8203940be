"""The store's behaviour: pagination, dates, filters, fulfilment, notes, stock, batch, webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from tests.platforms.woocommerce.conftest import API, STAGING, OAuthClient

from clawcheck.platforms.engine import Mock

TRACKING = {"key": "_tracking_number", "value": "JD0001040"}


def all_pages(client: httpx.Client, **query: str) -> tuple[list[dict[str, Any]], list[httpx.Response]]:
    responses, found, page = [], [], 1
    while True:
        response = client.get("/orders", params={**query, "page": str(page)})
        assert response.status_code == 200, response.text
        responses.append(response)
        found.extend(response.json())
        if page >= int(response.headers["X-WP-TotalPages"]):
            return found, responses
        page += 1


# -- pagination ---------------------------------------------------------------------------


def test_pages_cover_every_order_once_newest_first(mock: Mock, basic: httpx.Client) -> None:
    orders, responses = all_pages(basic, per_page="5")
    assert [r.headers["X-WP-Total"] for r in responses] == ["12"] * 3
    assert [r.headers["X-WP-TotalPages"] for r in responses] == ["3"] * 3
    ids = [o["id"] for o in orders]
    assert sorted(ids) == sorted(mock.platform.state.orders)
    assert len(set(ids)) == 12
    created = [o["date_created_gmt"] for o in orders]
    assert created == sorted(created, reverse=True)


def test_link_headers_point_at_the_neighbour_pages(basic: httpx.Client) -> None:
    base = f"https://{STAGING}{API}/orders"
    first = basic.get("/orders", params={"per_page": "5"})
    assert first.headers["Link"] == f'<{base}?per_page=5&page=2>; rel="next"'
    middle = basic.get("/orders", params={"per_page": "5", "page": "2"})
    assert (
        middle.headers["Link"]
        == f'<{base}?per_page=5&page=1>; rel="prev", <{base}?per_page=5&page=3>; rel="next"'
    )
    beyond = basic.get("/orders", params={"per_page": "5", "page": "9"})
    assert (beyond.status_code, beyond.json()) == (200, [])
    assert beyond.headers["Link"] == f'<{base}?per_page=5&page=3>; rel="prev"'


def test_a_link_repeats_the_old_oauth_parameters_so_it_must_be_signed_anew(signed: OAuthClient) -> None:
    first = signed.get("/orders", [("per_page", "5")])
    following = first.headers["Link"].split(">")[0].lstrip("<")
    assert "oauth_signature=" in following
    assert "page=2" in following
    assert httpx.get(following).status_code == 401
    assert signed.get("/orders", [("per_page", "5"), ("page", "2")]).status_code == 200


def test_offset_and_orderby(basic: httpx.Client) -> None:
    by_id = basic.get(
        "/orders", params={"orderby": "id", "order": "asc", "per_page": "3", "offset": "2"}
    ).json()
    assert [o["id"] for o in by_id] == [1042, 1043, 1044]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"per_page": "101"}, "per_page must be between 1 (inclusive) and 100 (inclusive)"),
        ({"page": "0"}, "page must be greater than or equal to 1"),
        ({"per_page": "ten"}, "per_page is not of type integer."),
        ({"order": "up"}, "order is not one of asc and desc."),
        ({"after": "yesterday"}, "Invalid date."),
        ({"status": "shipped"}, "status[0] is not one of any, trash, pending, processing, on-hold, "
         "completed, cancelled, refunded, failed, and checkout-draft."),
    ],
)  # fmt: skip
def test_invalid_query_parameters(basic: httpx.Client, query: dict[str, str], message: str) -> None:
    response = basic.get("/orders", params=query)
    name = next(iter(query))
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["message"]) == ("rest_invalid_param", f"Invalid parameter(s): {name}")
    assert body["data"]["params"] == {name: message}
    assert body["data"]["status"] == 400


# -- dates --------------------------------------------------------------------------------


def test_local_dates_are_eight_hours_ahead_of_the_gmt_ones(basic: httpx.Client) -> None:
    for order in basic.get("/orders", params={"per_page": "100"}).json():
        local = datetime.fromisoformat(order["date_created"])
        gmt = datetime.fromisoformat(order["date_created_gmt"])
        assert local - gmt == timedelta(hours=8)
        assert not order["date_created"].endswith("Z")


def test_date_filters_and_the_dates_are_gmt_trap(basic: httpx.Client) -> None:
    orders = sorted(
        basic.get("/orders", params={"per_page": "100"}).json(), key=lambda o: o["date_created_gmt"]
    )
    pivot = orders[-3]["date_created_gmt"]  # 14 h ago; the next orders are 9 h and 3 h old
    later = {o["id"] for o in orders[-2:]}

    def after(**query: str) -> set[int]:
        return {o["id"] for o in basic.get("/orders", params={"per_page": "100", **query}).json()}

    assert after(after=pivot + "Z") == later  # an offset is honoured
    assert after(after=pivot + "+00:00") == later
    assert after(after=pivot, dates_are_gmt="true") == later  # offset-less UTC with dates_are_gmt
    local_pivot = orders[-3]["date_created"]
    assert after(after=local_pivot) == later  # offset-less without it: store-local time
    # dates_are_gmt with an offset: WordPress compares the store-local wall time with the GMT column.
    shifted = {o["id"] for o in orders if o["date_created_gmt"] > local_pivot}
    assert after(after=pivot + "Z", dates_are_gmt="true") == shifted != later


# -- fulfilment ---------------------------------------------------------------------------


def test_completing_an_order_is_visible_everywhere(mock: Mock, basic: httpx.Client) -> None:
    processing = {
        o["id"] for o in basic.get("/orders", params={"status": "processing", "per_page": "100"}).json()
    }
    assert 1040 in processing
    response = basic.put("/orders/1040", json={"status": "completed", "meta_data": [TRACKING]})
    assert response.status_code == 200
    order = response.json()
    assert order["status"] == "completed"
    assert order["date_completed_gmt"] is not None
    assert {m["key"]: m["value"] for m in order["meta_data"]} == {"_tracking_number": "JD0001040"}
    assert basic.get("/orders/1040").json()["status"] == "completed"
    after = {o["id"] for o in basic.get("/orders", params={"status": "processing", "per_page": "100"}).json()}
    assert after == processing - {1040}
    completed = basic.get("/orders", params={"status": "completed,cancelled", "per_page": "100"}).json()
    assert 1040 in {o["id"] for o in completed}


def test_meta_data_is_upserted_by_key(basic: httpx.Client) -> None:
    basic.put("/orders/1041", json={"meta_data": [TRACKING]})
    order = basic.put(
        "/orders/1041", json={"meta_data": [{"key": "_tracking_number", "value": "NEW"}]}
    ).json()
    assert [(m["key"], m["value"]) for m in order["meta_data"]] == [("_tracking_number", "NEW")]


def test_an_update_sends_a_signed_order_updated_webhook(mock: Mock, basic: httpx.Client) -> None:
    basic.put("/orders/1040", json={"status": "completed"})
    delivery = mock.deliveries[-1]
    assert delivery.topic == "order.updated"
    assert delivery.headers is not None
    headers = delivery.headers
    secret = mock.platform.state.webhook_secret
    expected = base64.b64encode(hmac.new(secret.encode(), delivery.body, hashlib.sha256).digest()).decode()
    assert headers["X-WC-Webhook-Signature"] == expected
    assert headers["X-WC-Webhook-Topic"] == "order.updated"
    assert (headers["X-WC-Webhook-Resource"], headers["X-WC-Webhook-Event"]) == ("order", "updated")
    assert headers["X-WC-Webhook-Source"] == f"https://{STAGING}/"
    assert json.loads(delivery.body)["status"] == "completed"


def test_unknown_and_malformed_order_ids(basic: httpx.Client) -> None:
    assert basic.get("/orders/999").json()["code"] == "woocommerce_rest_shop_order_invalid_id"
    update = basic.put("/orders/999", json={"status": "completed"})
    assert (update.status_code, update.json()["message"]) == (400, "Invalid ID.")
    assert basic.get("/orders/abc").json()["code"] == "rest_no_route"
    assert basic.delete("/orders/1040").status_code == 404


def test_json_without_a_content_type_is_read_as_a_form(basic: httpx.Client) -> None:
    # WordPress parses a body without Content-Type as a form: the JSON changes nothing.
    response = basic.put("/orders/1040", content=b'{"status":"completed"}')
    assert (response.status_code, response.json()["status"]) == (200, "processing")
    bad = basic.put("/orders/1040", content=b"{status", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "rest_invalid_json"
    assert bad.json()["data"]["json_error_message"] == "Syntax error"


def test_set_paid_completes_payment_of_a_pending_order(basic: httpx.Client) -> None:
    pending = basic.get("/orders", params={"status": "pending"}).json()[0]
    assert pending["date_paid_gmt"] is None
    paid = basic.put(f"/orders/{pending['id']}", json={"set_paid": True}).json()
    assert paid["status"] == "processing"
    assert paid["date_paid_gmt"] is not None


# -- notes --------------------------------------------------------------------------------


def test_notes_are_created_and_listed(basic: httpx.Client) -> None:
    created = basic.post(
        "/orders/1040/notes", json={"note": "Shipped with DHL, JD0001040", "customer_note": True}
    )
    assert created.status_code == 201
    note = created.json()
    assert created.headers["Location"].endswith(f"/wp-json/wc/v3/orders/1040/notes/{note['id']}")
    assert (note["customer_note"], note["author"]) == (True, "system")
    basic.post("/orders/1040/notes", json={"note": "internal", "added_by_user": True})
    listed = basic.get("/orders/1040/notes").json()
    assert [n["note"] for n in listed] == ["internal", "Shipped with DHL, JD0001040"]
    assert listed[0]["author"] == "clawcheck-adapter"
    assert [n["note"] for n in basic.get("/orders/1040/notes", params={"type": "customer"}).json()] == [
        "Shipped with DHL, JD0001040"
    ]


def test_note_errors(basic: httpx.Client) -> None:
    missing = basic.post("/orders/1040/notes", json={"customer_note": True})
    assert missing.json() == {
        "code": "rest_missing_callback_param",
        "message": "Missing parameter(s): note",
        "data": {"status": 400, "params": ["note"]},
    }
    unknown = basic.post("/orders/999/notes", json={"note": "x"})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "woocommerce_rest_order_invalid_id")


# -- stock --------------------------------------------------------------------------------


def test_stock_updates_are_read_back(basic: httpx.Client) -> None:
    product = basic.put("/products/21", json={"stock_quantity": 11}).json()
    assert (product["stock_quantity"], product["stock_status"]) == (11, "instock")
    assert basic.get("/products/21").json()["stock_quantity"] == 11
    empty = basic.put("/products/21", json={"stock_quantity": 0}).json()
    assert empty["stock_status"] == "outofstock"
    delta = basic.put("/products/21", json={"inventory_delta": 4}).json()
    assert (delta["stock_quantity"], delta["stock_status"]) == (4, "instock")


def test_stock_quantity_needs_stock_management(basic: httpx.Client) -> None:
    ignored = basic.put("/products/30", json={"stock_quantity": 5}).json()
    assert (ignored["manage_stock"], ignored["stock_quantity"]) == (False, None)
    managed = basic.put("/products/30", json={"manage_stock": True, "stock_quantity": 5}).json()
    assert (managed["manage_stock"], managed["stock_quantity"]) == (True, 5)
    unmanaged = basic.put("/products/30", json={"manage_stock": False, "stock_status": "outofstock"}).json()
    assert (unmanaged["stock_quantity"], unmanaged["stock_status"]) == (None, "outofstock")


def test_products_by_sku(basic: httpx.Client) -> None:
    assert [p["id"] for p in basic.get("/products", params={"sku": "cc-tea-set6"}).json()] == [21]
    both = basic.get("/products", params={"sku": "CC-TEA-SET6,CC-MASK-SILK", "orderby": "id", "order": "asc"})
    assert [p["id"] for p in both.json()] == [21, 24]
    assert basic.get("/products", params={"sku": "NOPE"}).json() == []


def test_product_errors(basic: httpx.Client) -> None:
    assert basic.get("/products/999").json()["code"] == "woocommerce_rest_product_invalid_id"
    duplicate = basic.put("/products/21", json={"sku": "CC-MASK-SILK"})
    assert (duplicate.status_code, duplicate.json()["code"]) == (400, "product_invalid_sku")
    wrong = basic.put("/products/21", json={"stock_quantity": "many"})
    assert wrong.json()["data"]["params"] == {"stock_quantity": "stock_quantity is not of type integer."}


def test_batch_updates_each_item_on_its_own(mock: Mock, basic: httpx.Client) -> None:
    body = {
        "update": [
            {"id": 18, "stock_quantity": 3},
            {"id": 999, "stock_quantity": 1},
            {"id": 24, "stock_quantity": 2},
        ]
    }
    response = basic.post("/products/batch", json=body)
    assert response.status_code == 200
    results = response.json()["update"]
    assert [r.get("stock_quantity") for r in results] == [3, None, 2]
    assert results[1] == {
        "id": 999,
        "error": {
            "code": "woocommerce_rest_product_invalid_id",
            "message": "Invalid ID.",
            "data": {"status": 400},
        },
    }
    assert basic.get("/products/24").json()["stock_status"] == "instock"
    assert [d.topic for d in mock.deliveries] == ["product.updated", "product.updated"]


def test_batch_limits_and_empty_batches(basic: httpx.Client) -> None:
    assert basic.post("/products/batch", json={}).json() == []
    too_many = basic.post("/products/batch", json={"update": [{"id": 18}] * 101})
    assert (too_many.status_code, too_many.json()["code"]) == (
        413,
        "woocommerce_rest_request_entity_too_large",
    )


def test_a_simulated_checkout_appears_and_is_announced(mock: Mock, basic: httpx.Client) -> None:
    created = httpx.post(f"https://{STAGING}/_clawcheck/orders")
    assert created.status_code == 201
    order_id = created.json()["id"]
    listed = basic.get("/orders", params={"per_page": "1"}).json()
    assert [o["id"] for o in listed] == [order_id]
    assert mock.deliveries[-1].topic == "order.created"
