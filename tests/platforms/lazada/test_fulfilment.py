"""Pack and ReadyToShip: state changes visible in the order lists, per-item results, push messages."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

from .conftest import MY, SG, Client


def _pending_order(client: Client) -> tuple[int, list[int]]:
    order = next(
        o for o in client.orders(sort_direction="ASC").data["orders"] if o["statuses"] == ["pending"]
    )
    items = client.get("/order/items/get", order_id=str(order["order_id"])).data
    return order["order_id"], [i["order_item_id"] for i in items]


def _pack(client: Client, orders: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    request = {
        "pack_order_list": orders,
        "delivery_type": "dropship",
        "shipping_allocate_type": "TFS",
        **extra,
    }
    answer = client.post("/order/fulfill/pack", packReq=json.dumps(request))
    assert answer.code == "0"
    result: dict[str, Any] = answer.body["result"]
    return result


def _rts(client: Client, *package_ids: str) -> list[dict[str, Any]]:
    request = {"packages": [{"package_id": p} for p in package_ids]}
    answer = client.post("/order/package/rts", readyToShipReq=json.dumps(request))
    assert answer.code == "0"
    assert answer.body["result"]["success"] is True
    packages: list[dict[str, Any]] = answer.body["result"]["data"]["packages"]
    return packages


def test_pack_then_ready_to_ship_shows_in_the_next_listing(client: Client) -> None:
    order_id, item_ids = _pending_order(client)
    result = _pack(client, [{"order_id": order_id, "order_item_list": item_ids}])
    assert result["success"] is True
    packed = result["data"]["pack_order_list"][0]["order_item_list"]
    assert [p["item_err_code"] for p in packed] == ["0"] * len(item_ids)
    assert len({p["package_id"] for p in packed}) == 1  # one order's items go in one package
    assert packed[0]["tracking_number"]
    assert client.get("/order/get", order_id=str(order_id)).data["statuses"] == ["packed"]

    assert _rts(client, packed[0]["package_id"])[0]["item_err_code"] == "0"
    listed = {o["order_id"]: o for o in client.orders().data["orders"]}
    assert listed[order_id]["statuses"] == ["ready_to_ship"]
    assert client.orders(status="pending").data["countTotal"] == 3
    items = client.get("/order/items/get", order_id=str(order_id)).data
    assert {i["package_id"] for i in items} == {packed[0]["package_id"]}


def test_items_not_pending_cannot_be_packed_again(client: Client) -> None:
    order_id, item_ids = _pending_order(client)
    _pack(client, [{"order_id": order_id, "order_item_list": item_ids}])
    again = _pack(client, [{"order_id": order_id, "order_item_list": item_ids}])
    codes = {i["item_err_code"] for i in again["data"]["pack_order_list"][0]["order_item_list"]}
    assert codes == {"700026"}


def test_unknown_items_and_other_sellers_orders_fail_per_item(client: Client) -> None:
    order_id, item_ids = _pending_order(client)
    foreign = next(o for o in client.platform.state.orders.values() if o.seller_id == MY)
    result = _pack(
        client,
        [
            {"order_id": order_id, "order_item_list": [*item_ids, 42]},
            {"order_id": foreign.order_id, "order_item_list": [foreign.items[0].order_item_id]},
        ],
    )
    first, second = result["data"]["pack_order_list"]
    assert [i["item_err_code"] for i in first["order_item_list"]] == ["0"] * len(item_ids) + ["700025"]
    assert [i["item_err_code"] for i in second["order_item_list"]] == ["700021"]
    assert foreign.items[0].status == "pending"


@pytest.mark.parametrize(
    ("pack_request", "code"),
    [
        ("not json", "700004"),
        (
            json.dumps({"pack_order_list": [], "delivery_type": "dropship", "shipping_allocate_type": "TFS"}),
            "700017",
        ),
        (
            json.dumps(
                {
                    "pack_order_list": [{"order_id": 1}] * 21,
                    "delivery_type": "dropship",
                    "shipping_allocate_type": "TFS",
                }
            ),
            "700022",
        ),
        (
            json.dumps(
                {
                    "pack_order_list": [{"order_id": 1}],
                    "delivery_type": "pickup",
                    "shipping_allocate_type": "TFS",
                }
            ),
            "700004",
        ),
        (
            json.dumps(
                {
                    "pack_order_list": [{"order_id": 1}],
                    "delivery_type": "dropship",
                    "shipping_allocate_type": "NTFS",
                }
            ),
            "700016",
        ),
    ],
)
def test_a_bad_pack_batch_fails_as_a_whole(client: Client, pack_request: str, code: str) -> None:
    answer = client.post("/order/fulfill/pack", packReq=pack_request)
    assert answer.code == "0"
    assert answer.body["result"] == {
        "success": False,
        "errorCode": code,
        "errorMsg": answer.body["result"]["errorMsg"],
    }


def test_ready_to_ship_refuses_unknown_and_already_shipped_packages(client: Client) -> None:
    order_id, item_ids = _pending_order(client)
    package = _pack(client, [{"order_id": order_id, "order_item_list": item_ids}])["data"]["pack_order_list"][
        0
    ]
    package_id = package["order_item_list"][0]["package_id"]
    results = _rts(client, package_id, "FP404", package_id)
    assert [r["item_err_code"] for r in results] == ["0", "600001", "700000"]


def test_a_missing_request_parameter_is_missing_parameter(client: Client) -> None:
    assert client.post("/order/fulfill/pack").code == "MissingParameter"
    assert client.post("/order/package/rts").code == "MissingParameter"


def test_status_changes_are_pushed_signed_as_lazada_signs_them(client: Client) -> None:
    order_id, item_ids = _pending_order(client)
    _pack(client, [{"order_id": order_id, "order_item_list": item_ids}])
    deliveries = client.mock.deliveries
    assert len(deliveries) == len(item_ids)
    state = client.platform.state
    for delivery in deliveries:
        message = json.loads(delivery.body)
        assert message["seller_id"] == SG
        assert message["message_type"] == 0
        assert message["site"] == "lazada_sg"
        assert message["data"]["order_status"] == "packed"
        assert message["data"]["trade_order_id"] == str(order_id)
        expected = hmac.new(state.app_secret.encode(), state.app_key.encode() + delivery.body, hashlib.sha256)
        assert delivery.headers is not None
        assert delivery.headers["Authorization"] == expected.hexdigest()


def test_a_simulated_order_arrives_pending_and_holds_stock(client: Client) -> None:
    before = client.orders().data["countTotal"]
    created = client.platform.simulate_order(SG)
    assert client.orders().data["countTotal"] == before + 1
    order = client.get("/order/get", order_id=str(created["order_id"])).data
    assert order["statuses"] == ["pending"]
    assert json.loads(client.mock.deliveries[-1].body)["data"]["order_status"] == "pending"
