"""Locations, products/variants and inventory levels: reads, sets, and what a set changes."""

from __future__ import annotations

import pytest
from tests.platforms.shopify.conftest import Store

MAIN, EAST = 71000000001, 71000000002
SNEAKER_9 = 46000000001  # inventory item of TRS-09
GIFT_CARD = 46000000005  # untracked


def test_locations_products_and_variants_lead_to_inventory_items(store: Store) -> None:
    locations = store.get("/locations.json").json()["locations"]
    assert [(loc["id"], loc["name"]) for loc in locations] == [
        (MAIN, "Main Warehouse"),
        (EAST, "East Coast 3PL"),
    ]
    products = store.get("/products.json").json()["products"]
    skus = {v["sku"]: v for p in products for v in p["variants"]}
    assert skus["TRS-09"]["inventory_item_id"] == SNEAKER_9
    assert skus["TRS-09"]["inventory_quantity"] == 20
    assert skus["GIFT-25"]["inventory_management"] is None
    variant = store.get(f"/variants/{skus['TRS-09']['id']}.json").json()["variant"]
    assert variant["sku"] == "TRS-09"
    assert store.get("/variants/1.json").status_code == 404


def test_products_paginate_by_id(store: Store) -> None:
    first = store.get("/products.json", limit=3)
    assert len(first.json()["products"]) == 3
    rest = store.get(first.headers["link"].split(";")[0][1:-1]).json()["products"]
    assert [p["title"] for p in rest] == ["Gift Card"]


def test_set_is_visible_on_read_and_notifies(store: Store) -> None:
    body = {"location_id": MAIN, "inventory_item_id": SNEAKER_9, "available": 3}
    response = store.post("/inventory_levels/set.json", body)
    assert response.status_code == 200
    assert response.json()["inventory_level"]["available"] == 3
    levels = store.get("/inventory_levels.json", inventory_item_ids=SNEAKER_9).json()["inventory_levels"]
    assert {(lv["location_id"], lv["available"]) for lv in levels} == {(MAIN, 3), (EAST, 6)}
    products = store.get("/products.json").json()["products"]
    assert products[0]["variants"][0]["inventory_quantity"] == 9
    (delivery,) = store.mock.deliveries
    assert delivery.topic == "inventory_levels/update"
    assert b'"available":3' in delivery.body


def test_set_connects_an_item_to_a_location_it_was_not_stocked_at(store: Store) -> None:
    socks = 46000000003
    assert store.get("/inventory_levels.json", location_ids=EAST, inventory_item_ids=socks).json() == {
        "inventory_levels": []
    }
    store.post(
        "/inventory_levels/set.json", {"location_id": EAST, "inventory_item_id": socks, "available": 10}
    )
    levels = store.get("/inventory_levels.json", location_ids=EAST).json()["inventory_levels"]
    assert socks in [lv["inventory_item_id"] for lv in levels]


def test_levels_need_items_or_locations(store: Store) -> None:
    response = store.get("/inventory_levels.json")
    assert response.status_code == 422
    assert "errors" in response.json()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"location_id": MAIN, "inventory_item_id": GIFT_CARD, "available": 1}, 422),
        ({"location_id": MAIN, "inventory_item_id": 1, "available": 1}, 404),
        ({"location_id": 1, "inventory_item_id": SNEAKER_9, "available": 1}, 404),
        ({"location_id": MAIN, "inventory_item_id": SNEAKER_9, "available": 10**12}, 422),
        ({"location_id": MAIN, "inventory_item_id": SNEAKER_9, "available": 10**30}, 400),
        ({"location_id": MAIN, "inventory_item_id": SNEAKER_9, "available": "many"}, 400),
        ({"location_id": MAIN, "inventory_item_id": SNEAKER_9}, 400),
        ([1, 2], 400),
    ],
)
def test_bad_sets_change_nothing(store: Store, body: object, status: int) -> None:
    response = store.post("/inventory_levels/set.json", body)
    assert response.status_code == status, response.text
    assert "errors" in response.json()
    levels = store.get("/inventory_levels.json", inventory_item_ids=SNEAKER_9, location_ids=MAIN).json()
    assert levels["inventory_levels"][0]["available"] == 14


def test_untracked_items_say_so(store: Store) -> None:
    body = {"location_id": MAIN, "inventory_item_id": GIFT_CARD, "available": 1}
    assert store.post("/inventory_levels/set.json", body).json() == {
        "errors": ["Inventory item does not have inventory tracking enabled"]
    }


def test_each_store_sees_only_its_own_stock(store: Store, other: Store) -> None:
    theirs = other.get("/locations.json").json()["locations"][0]["id"]
    body = {"location_id": theirs, "inventory_item_id": SNEAKER_9, "available": 1}
    assert store.post("/inventory_levels/set.json", body).status_code == 404
    assert other.post("/inventory_levels/set.json", body).status_code == 404
