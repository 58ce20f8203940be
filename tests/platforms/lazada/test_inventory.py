"""Stock and price: UpdateSellableQuantity, UpdatePriceQuantity (XML payloads), GetProductItem."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import Client, stock_payload

TEE = "2807246101"  # SKUs 13449296011 (two pending orders hold a unit each) and 13449296012
BLACK_M = "13449296011"


def _sku(client: Client, sku_id: str = BLACK_M, item_id: str = TEE) -> dict[str, Any]:
    product = client.get("/product/item/get", item_id=item_id).data
    sku: dict[str, Any] = next(s for s in product["skus"] if str(s["SkuId"]) == sku_id)
    return sku


def test_product_item_shows_sellable_occupied_and_total(client: Client) -> None:
    sku = _sku(client)
    warehouse = sku["multiWarehouseInventories"][0]
    assert sku["quantity"] == sku["Available"] == warehouse["sellableQuantity"] == 40
    assert warehouse["occupyQuantity"] == 2
    assert warehouse["totalQuantity"] == 42
    assert sku["SellerSku"] == "SG-TEE-BLK-M"


def test_update_sellable_quantity_is_visible_on_read(client: Client) -> None:
    answer = client.post("/product/stock/sellable/update", payload=stock_payload((BLACK_M, "7")))
    assert answer.code == "0"
    assert set(answer.body) == {"code", "request_id"}
    assert _sku(client)["quantity"] == 7


def test_update_price_quantity_sets_the_total_and_keeps_occupied_units(client: Client) -> None:
    payload = (
        "<?xml version='1.0' encoding='UTF-8'?><Request><Product><Skus><Sku>"
        f"<ItemId>{TEE}</ItemId><SellerSku>SG-TEE-BLK-M</SellerSku><Quantity>30</Quantity>"
        "<Price>21.90</Price><SalePrice>18.00</SalePrice></Sku></Skus></Product></Request>"
    )
    assert client.post("/product/price_quantity/update", payload=payload).code == "0"
    sku = _sku(client)
    assert sku["quantity"] == 28  # 30 in total, 2 held by pending orders
    assert (sku["price"], sku["special_price"]) == (21.9, 18.0)


def test_a_multi_warehouse_payload_for_the_default_warehouse_is_accepted(client: Client) -> None:
    payload = (
        "<Request><Product><Skus><Sku><SkuId>13449296011</SkuId><MultiWarehouseInventories>"
        "<MultiWarehouseInventory><WarehouseCode>dropshipping</WarehouseCode><SellableQuantity>9</SellableQuantity>"
        "</MultiWarehouseInventory></MultiWarehouseInventories></Sku></Skus></Product></Request>"
    )
    assert client.post("/product/stock/sellable/update", payload=payload).code == "0"
    assert _sku(client)["quantity"] == 9


def test_a_request_with_one_bad_sku_changes_nothing(client: Client) -> None:
    payload = stock_payload((BLACK_M, "5"), ("99999999999", "5"), ("13449296012", "-3"))
    answer = client.post("/product/stock/sellable/update", payload=payload)
    assert (answer.code, answer.body["message"]) == ("501", "E501: Update product failed")
    assert [d["field"] for d in answer.body["detail"]] == ["SellerSku", "Quantity"]
    assert _sku(client)["quantity"] == 40


def test_another_sellers_sku_is_not_found(client: Client) -> None:
    answer = client.post("/product/stock/sellable/update", payload=stock_payload(("13449296111", "5")))
    assert answer.code == "501"
    assert client.get("/product/item/get", item_id="2807246201").code == "208"


def test_the_total_cannot_go_below_the_occupied_units(client: Client) -> None:
    answer = client.post(
        "/product/price_quantity/update", payload=stock_payload((BLACK_M, "1"), tag="Quantity")
    )
    assert answer.code == "501"


@pytest.mark.parametrize(
    "payload",
    [
        "not xml at all",
        "<Request><Product><Skus><Sku></Request>",
        "<Other/>",
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<Request><Product><Skus><Sku><SkuId>&b;</SkuId></Sku></Skus></Product></Request>",
        '<!DOCTYPE r SYSTEM "file:///etc/passwd"><Request/>',
    ],
)
def test_malformed_and_entity_laden_xml_is_an_invalid_request_format(client: Client, payload: str) -> None:
    answer = client.post("/product/stock/sellable/update", payload=payload)
    assert (answer.code, answer.body["message"]) == ("5", "E005: Invalid Request Format")


def test_an_empty_or_oversized_sku_list_is_refused(client: Client) -> None:
    assert client.post("/product/stock/sellable/update", payload=stock_payload()).code == "30"
    many = [(BLACK_M, "1")] * 51
    assert client.post("/product/stock/sellable/update", payload=stock_payload(*many)).code == "204"
    assert (
        client.post("/product/price_quantity/update", payload=stock_payload(*many, tag="Quantity")).code
        == "4171"
    )


@pytest.mark.parametrize("price", ["0", "-1", "1.234", "NaN", "1e99", "abc"])
def test_an_invalid_price_is_refused(client: Client, price: str) -> None:
    answer = client.post(
        "/product/price_quantity/update", payload=stock_payload((BLACK_M, price), tag="Price")
    )
    assert answer.code == "501"
    assert answer.body["detail"][0]["field"] == "Price"


def test_packing_keeps_the_unit_occupied_and_ready_to_ship_takes_it_out(client: Client) -> None:
    state = client.platform.state
    order = next(
        o for o in state.seller_orders("1000200101") if o.statuses == ["pending"] and len(o.items) == 1
    )
    sku_id, item_id = str(order.items[0].sku_id), order.items[0].order_item_id
    before = _sku(client, sku_id)["multiWarehouseInventories"][0]
    pack = {"pack_order_list": [{"order_id": order.order_id, "order_item_list": [item_id]}]}
    pack |= {"delivery_type": "dropship", "shipping_allocate_type": "TFS"}
    result = client.post("/order/fulfill/pack", packReq=json.dumps(pack)).body["result"]
    package_id = result["data"]["pack_order_list"][0]["order_item_list"][0]["package_id"]
    assert _sku(client, sku_id)["multiWarehouseInventories"][0] == before
    rts = json.dumps({"packages": [{"package_id": package_id}]})
    assert client.post("/order/package/rts", readyToShipReq=rts).code == "0"
    after = _sku(client, sku_id)["multiWarehouseInventories"][0]
    assert after["totalQuantity"] == before["totalQuantity"] - 1
    assert after["occupyQuantity"] == before["occupyQuantity"] - 1
    assert after["sellableQuantity"] == before["sellableQuantity"]
