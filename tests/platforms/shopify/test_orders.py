"""Orders: listing and its cursor pagination, reading, counting, fulfilment through fulfillment orders."""

from __future__ import annotations

from typing import Any

import pytest
from tests.platforms.shopify.conftest import Store


def pages(store: Store, **params: Any) -> list[list[dict[str, Any]]]:
    """Every page of orders, following `rel="next"` links exactly as given."""
    found: list[list[dict[str, Any]]] = []
    response = store.get("/orders.json", **params)
    while True:
        assert response.status_code == 200, response.text
        found.append(response.json()["orders"])
        link = response.headers.get("link", "")
        nexts = [p.split(";")[0].strip()[1:-1] for p in link.split(", ") if p.endswith('rel="next"')]
        if not nexts:
            return found
        response = store.get(nexts[0])


def test_default_listing_shows_open_orders_newest_first(store: Store) -> None:
    orders = store.get("/orders.json").json()["orders"]
    assert [o["name"] for o in orders] == ["#1005", "#1004", "#1003", "#1002", "#1001"]
    assert all(o["closed_at"] is None and o["cancelled_at"] is None for o in orders)


def test_pagination_visits_every_order_once_in_order(store: Store) -> None:
    everything = store.get("/orders.json", status="any").json()["orders"]
    walked = pages(store, status="any", limit=2)
    assert [len(page) for page in walked] == [2, 2, 2, 1]
    assert [o["id"] for page in walked for o in page] == [o["id"] for o in everything]


def test_previous_link_goes_back_to_the_same_page(store: Store) -> None:
    first = store.get("/orders.json", status="any", limit=3)
    second = store.get(first.headers["link"].split(";")[0][1:-1])
    links = {part.split("; ")[1]: part.split("; ")[0][1:-1] for part in second.headers["link"].split(", ")}
    assert set(links) == {'rel="previous"', 'rel="next"'}
    back = store.get(links['rel="previous"'])
    assert back.json()["orders"] == first.json()["orders"]


def test_cursor_keeps_its_filters_and_a_page_never_repeats_after_a_change(store: Store) -> None:
    first = store.get("/orders.json", fulfillment_status="unshipped", limit=2)
    names = [o["name"] for o in first.json()["orders"]]
    assert names == ["#1005", "#1004"]
    # #1001 stays unshipped; fulfilling the newest one must not shift the next page.
    fulfil_everything(store, first.json()["orders"][0]["id"])
    rest = store.get(first.headers["link"].split(";")[0][1:-1]).json()["orders"]
    assert [o["name"] for o in rest] == ["#1001"]


@pytest.mark.parametrize("extra", ["status", "created_at_min", "fulfillment_status"])
def test_page_info_travels_only_with_limit_and_fields(store: Store, extra: str) -> None:
    link = store.get("/orders.json", limit=1).headers["link"].split(";")[0][1:-1]
    value = {"status": "any", "created_at_min": "2020-01-01T00:00:00Z", "fulfillment_status": "any"}[extra]
    response = store.get(f"{link}&{extra}={value}")
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            extra: f"{extra} cannot be passed when page_info is present. "
            "See https://shopify.dev/api/usage/pagination-rest for more information."
        }
    }
    assert store.get(f"{link}&fields=id").status_code == 200


def test_made_up_page_info_is_an_invalid_value(store: Store) -> None:
    response = store.get("/orders.json", page_info="eyJsYXN0X2lkIjoxfQ")
    assert (response.status_code, response.json()) == (400, {"errors": {"page_info": "Invalid value."}})
    assert "bad_cursor" in store.mock.journal.entries()[-1].notes


def test_fields_limits_the_fields_and_carries_into_the_link(store: Store) -> None:
    response = store.get("/orders.json", fields="id,name", limit=1)
    assert response.json()["orders"][0].keys() == {"id", "name"}
    assert "fields=id,name" in response.headers["link"]


def test_filters_by_status_payment_and_dates(store: Store, clock: Any) -> None:
    def names(**params: Any) -> list[str]:
        return [o["name"] for o in store.get("/orders.json", **params).json()["orders"]]

    assert names(status="cancelled") == ["#1006"]
    assert names(status="closed") == ["#1007", "#1006"]
    assert names(financial_status="pending") == ["#1004"]
    assert names(fulfillment_status="shipped", status="any") == ["#1007", "#1003"]
    assert names(fulfillment_status="partial") == ["#1002"]
    cutoff = store.get("/orders/5800000000003.json").json()["order"]["created_at"]
    assert names(created_at_max=cutoff) == ["#1003", "#1002", "#1001"]
    assert names(created_at_min=cutoff.replace("+00:00", "Z"), status="any")[-1] == "#1003"


def test_limit_is_clamped_to_250_and_bad_values_fall_back(store: Store) -> None:
    assert len(store.get("/orders.json", limit=100000, status="any").json()["orders"]) == 7
    assert store.get("/orders.json", limit="abc").status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "shipped"}, "status"),
        ({"created_at_min": "yesterday"}, "created_at_min"),
        ({"since_id": "x1"}, "since_id"),
        ({"ids": "1,two"}, "ids"),
    ],
)
def test_malformed_filters_are_400(store: Store, params: dict[str, str], field: str) -> None:
    response = store.get("/orders.json", **params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_count_and_read_one(store: Store) -> None:
    assert store.get("/orders/count.json").json() == {"count": 5}
    assert store.get("/orders/count.json", status="any").json() == {"count": 7}
    order = store.get("/orders/5800000000001.json").json()["order"]
    assert order["name"] == "#1001"
    assert order["created_at"].endswith("+00:00")
    assert order["total_price"] == "144.03"  # 89.00 + 2 x 18.50, + 7.95 shipping, + 8% tax on 126.00
    assert [item["sku"] for item in order["line_items"]] == ["TRS-09", "MWS-L"]


@pytest.mark.parametrize("order_id", ["999", "abc", "99999999999999999999999", "5800000000008"])
def test_unknown_orders_are_not_found(store: Store, order_id: str) -> None:
    response = store.get(f"/orders/{order_id}.json")
    assert (response.status_code, response.json()) == (404, {"errors": "Not Found"})


def test_orders_of_the_other_store_are_not_found_here(store: Store, other: Store) -> None:
    theirs = other.get("/orders.json").json()["orders"][0]["id"]
    assert store.get(f"/orders/{theirs}.json").status_code == 404


# -- fulfilment -----------------------------------------------------------------------------


def fulfillment_orders(store: Store, order_id: int) -> list[dict[str, Any]]:
    response = store.get(f"/orders/{order_id}/fulfillment_orders.json")
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()["fulfillment_orders"]
    return result


def fulfil_everything(store: Store, order_id: int) -> dict[str, Any]:
    fo = fulfillment_orders(store, order_id)[0]
    body = {"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}}
    response = store.post("/fulfillments.json", body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()["fulfillment"]
    return result


def test_fulfilment_changes_what_the_listing_shows(store: Store) -> None:
    before = store.get("/orders.json", fulfillment_status="unshipped").json()["orders"]
    target = before[-1]
    assert target["name"] == "#1001"
    fo = fulfillment_orders(store, target["id"])[0]
    assert fo["status"] == "open"
    lines = [{"id": line["id"], "quantity": line["fulfillable_quantity"]} for line in fo["line_items"]]
    body = {
        "fulfillment": {
            "line_items_by_fulfillment_order": [
                {"fulfillment_order_id": fo["id"], "fulfillment_order_line_items": lines}
            ],
            "tracking_info": {"number": "1Z999AA10123456784", "company": "UPS"},
            "notify_customer": False,
        }
    }
    created = store.post("/fulfillments.json", body)
    assert created.status_code == 201
    fulfillment = created.json()["fulfillment"]
    assert fulfillment["name"] == "#1001.1"
    assert fulfillment["tracking_url"].endswith("trackNums=1Z999AA10123456784")
    after = store.get("/orders.json", fulfillment_status="unshipped").json()["orders"]
    assert [o["name"] for o in after] == [o["name"] for o in before if o["id"] != target["id"]]
    order = store.get(f"/orders/{target['id']}.json").json()["order"]
    assert order["fulfillment_status"] == "fulfilled"
    assert order["updated_at"] >= target["updated_at"]
    assert [f["tracking_number"] for f in order["fulfillments"]] == ["1Z999AA10123456784"]
    assert fulfillment_orders(store, target["id"])[0]["status"] == "closed"
    assert [d.topic for d in store.mock.deliveries] == ["orders/fulfilled"]


def test_partial_fulfilment_keeps_the_rest_open(store: Store) -> None:
    fo = fulfillment_orders(store, 5800000000001)[0]
    line = fo["line_items"][1]  # 2 pairs of socks: ship one
    body = {
        "fulfillment": {
            "line_items_by_fulfillment_order": [
                {
                    "fulfillment_order_id": fo["id"],
                    "fulfillment_order_line_items": [{"id": line["id"], "quantity": 1}],
                }
            ]
        }
    }
    assert store.post("/fulfillments.json", body).status_code == 201
    order = store.get("/orders/5800000000001.json").json()["order"]
    assert order["fulfillment_status"] == "partial"
    assert fulfillment_orders(store, 5800000000001)[0]["status"] == "in_progress"
    assert store.mock.deliveries == []  # orders/fulfilled waits for the last item


def test_a_closed_fulfillment_order_cannot_be_fulfilled_again(store: Store) -> None:
    fo_id = fulfillment_orders(store, 5800000000001)[0]["id"]
    fulfil_everything(store, 5800000000001)
    body = {"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo_id}]}}
    response = store.post("/fulfillments.json", body)
    assert response.status_code == 422
    assert response.json() == {"errors": [f"Fulfillment order {fo_id} has an unfulfillable status= closed."]}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 400),
        ({"fulfillment": {}}, 400),
        ({"fulfillment": {"line_items_by_fulfillment_order": []}}, 400),
        ({"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": "x"}]}}, 400),
        ({"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": 1}]}}, 422),
        (
            {
                "fulfillment": {
                    "line_items_by_fulfillment_order": [
                        {
                            "fulfillment_order_id": 6100000000001,
                            "fulfillment_order_line_items": [{"id": 1, "quantity": 1}],
                        }
                    ]
                }
            },
            422,
        ),
        (
            {
                "fulfillment": {
                    "line_items_by_fulfillment_order": [
                        {
                            "fulfillment_order_id": 6100000000001,
                            "fulfillment_order_line_items": [{"id": 15000000000001, "quantity": 5}],
                        }
                    ]
                }
            },
            422,
        ),
    ],
)
def test_bad_fulfilment_requests_change_nothing(store: Store, body: dict[str, Any], status: int) -> None:
    response = store.post("/fulfillments.json", body)
    assert response.status_code == status, response.text
    assert "errors" in response.json()
    assert store.get("/orders/5800000000001.json").json()["order"]["fulfillment_status"] is None


def test_fulfillment_orders_of_two_orders_cannot_be_mixed(store: Store) -> None:
    first = fulfillment_orders(store, 5800000000001)[0]["id"]
    second = fulfillment_orders(store, 5800000000005)[0]["id"]
    groups = [{"fulfillment_order_id": first}, {"fulfillment_order_id": second}]
    response = store.post("/fulfillments.json", {"fulfillment": {"line_items_by_fulfillment_order": groups}})
    assert response.status_code == 422
    assert response.json() == {"errors": ["All fulfillment orders must belong to the same order."]}
