"""The mock's state: orders listed through every page, read, shipped and listed again; stock."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from clawcheck.platforms.engine import Mock

from .conftest import DAY, MY, PH, SG, FakeClock, ShopeeClient, make_mock


def test_seed_has_three_shops_with_orders_placed_before_the_start(client: ShopeeClient) -> None:
    state = client.platform.state
    assert sorted(state.shops) == sorted([SG, MY, PH])
    for shop_id in state.shops:
        orders = state.shop_orders(shop_id)
        assert orders
        assert all(client.clock.now - 5 * DAY < o.create_time < client.clock.now for o in orders)


def test_pagination_returns_every_order_of_the_shop_once_newest_first(client: ShopeeClient) -> None:
    every = client.all_orders(page_size=2)
    expected = {o.order_sn for o in client.platform.state.shop_orders(SG)}
    sns = [o["order_sn"] for o in every]
    assert len(sns) == len(set(sns)) == len(expected) == 7
    assert set(sns) == expected
    times = [client.platform.state.orders[sn].create_time for sn in sns]
    assert times == sorted(times, reverse=True)


def test_a_page_holds_page_size_orders_and_a_cursor_when_there_are_more(client: ShopeeClient) -> None:
    first = client.list_orders(page_size=3)
    assert first.status == 200
    assert len(first.response["order_list"]) == 3
    assert first.response["more"] is True
    assert first.response["next_cursor"]
    assert set(first.response["order_list"][0]) == {"order_sn"}


def test_other_shops_orders_are_not_listed(client: ShopeeClient) -> None:
    client.shop_id = MY
    sns = {o["order_sn"] for o in client.all_orders()}
    assert sns == {o.order_sn for o in client.platform.state.shop_orders(MY)}


def test_order_status_filter_and_optional_status_field(client: ShopeeClient) -> None:
    ready = client.all_orders(order_status="READY_TO_SHIP", response_optional_fields="order_status")
    assert len(ready) == 3
    assert {o["order_status"] for o in ready} == {"READY_TO_SHIP"}


def test_time_window_filters_by_the_chosen_field(client: ShopeeClient) -> None:
    now = int(client.clock.now)
    recent = client.all_orders(time_from=now - 10 * 3600, time_to=now)
    assert [client.platform.state.orders[o["order_sn"]].create_time > now - 10 * 3600 for o in recent] == [
        True
    ]


@pytest.mark.parametrize(
    ("time_from", "time_to"),
    [(1000, 999), (0, 15 * DAY + 1)],
    ids=["start-after-end", "over-15-days"],
)
def test_a_bad_time_window_is_order_list_invalid_time(
    client: ShopeeClient, time_from: int, time_to: int
) -> None:
    answer = client.list_orders(time_from=time_from, time_to=time_to)
    assert answer.status == 400
    assert answer.error == "order.order_list_invalid_time"
    assert answer.data["message"] == "Start time must be earlier than end time and diff in 15days."


def test_a_cursor_the_mock_never_issued_is_refused_and_noted(client: ShopeeClient, mock: Mock) -> None:
    answer = client.list_orders(cursor="made-up")
    assert answer.status == 400
    assert answer.error == "error_param"
    assert "bad_cursor" in mock.journal.entries()[-1].notes


def test_order_detail_default_and_optional_fields(client: ShopeeClient) -> None:
    sn = client.all_orders(order_status="READY_TO_SHIP")[0]["order_sn"]
    plain = client.call("GET", "/api/v2/order/get_order_detail", {"order_sn_list": sn})
    order = plain.response["order_list"][0]
    assert order["order_sn"] == sn
    assert order["order_status"] == "READY_TO_SHIP"
    assert "item_list" not in order
    assert "total_amount" not in order
    rich = client.call(
        "GET",
        "/api/v2/order/get_order_detail",
        {
            "order_sn_list": sn,
            "response_optional_fields": "item_list,package_list,total_amount,buyer_username",
        },
    )
    order = rich.response["order_list"][0]
    assert order["item_list"][0]["model_quantity_purchased"] >= 1
    assert order["package_list"][0]["logistics_status"] == "LOGISTICS_READY"
    assert order["total_amount"] > 0
    assert order["buyer_username"]


def test_order_detail_reports_missing_orders_as_a_warning_or_not_found(client: ShopeeClient) -> None:
    sn = client.all_orders()[0]["order_sn"]
    partial = client.call("GET", "/api/v2/order/get_order_detail", {"order_sn_list": f"{sn},260101NOPE0000"})
    assert partial.status == 200
    assert [o["order_sn"] for o in partial.response["order_list"]] == [sn]
    assert partial.data["warning"] == ["order_sn 260101NOPE0000 is not found"]
    none = client.call("GET", "/api/v2/order/get_order_detail", {"order_sn_list": "260101NOPE0000"})
    assert (none.status, none.error) == (404, "error_not_found")


def test_another_shops_order_cannot_be_read(client: ShopeeClient) -> None:
    theirs = client.platform.state.shop_orders(MY)[0].order_sn
    answer = client.call("GET", "/api/v2/order/get_order_detail", {"order_sn_list": theirs})
    assert (answer.status, answer.error) == (404, "error_not_found")


def ship(client: ShopeeClient, sn: str) -> None:
    parameter = client.call("GET", "/api/v2/logistics/get_shipping_parameter", {"order_sn": sn})
    assert parameter.status == 200, parameter.data
    address = parameter.response["pickup"]["address_list"][0]
    block = {
        "address_id": address["address_id"],
        "pickup_time_id": address["time_slot_list"][0]["pickup_time_id"],
    }
    shipped = client.call("POST", "/api/v2/logistics/ship_order", body={"order_sn": sn, "pickup": block})
    assert shipped.status == 200, shipped.data
    assert shipped.error == ""


def test_shipping_moves_the_order_to_processed_with_a_tracking_number(client: ShopeeClient) -> None:
    sn = client.all_orders(order_status="READY_TO_SHIP")[0]["order_sn"]
    before = client.call("GET", "/api/v2/logistics/get_tracking_number", {"order_sn": sn})
    assert before.response["tracking_number"] == ""
    assert before.response["hint"]
    ship(client, sn)
    after = {
        o["order_sn"]: o["order_status"] for o in client.all_orders(response_optional_fields="order_status")
    }
    assert after[sn] == "PROCESSED"
    assert sn not in {o["order_sn"] for o in client.all_orders(order_status="READY_TO_SHIP")}
    tracking = client.call("GET", "/api/v2/logistics/get_tracking_number", {"order_sn": sn})
    assert tracking.response["tracking_number"].startswith("SPXSG")
    detail = client.call(
        "GET",
        "/api/v2/order/get_order_detail",
        {"order_sn_list": sn, "response_optional_fields": "package_list"},
    )
    order = detail.response["order_list"][0]
    assert order["package_list"][0]["logistics_status"] == "LOGISTICS_REQUEST_CREATED"
    assert order["update_time"] > order["create_time"] + 3600


def test_a_shipped_order_cannot_be_shipped_again(client: ShopeeClient) -> None:
    sn = client.all_orders(order_status="READY_TO_SHIP")[0]["order_sn"]
    ship(client, sn)
    again = client.call("GET", "/api/v2/logistics/get_shipping_parameter", {"order_sn": sn})
    assert (again.status, again.error) == (400, "error_param")
    assert "READY_TO_SHIP" in again.data["message"]


def test_ship_order_needs_the_block_the_shipping_parameter_asked_for(client: ShopeeClient) -> None:
    sn = client.all_orders(order_status="READY_TO_SHIP")[0]["order_sn"]
    wrong_method = client.call("POST", "/api/v2/logistics/ship_order", body={"order_sn": sn, "dropoff": {}})
    assert (wrong_method.status, wrong_method.error) == (400, "error_param")
    wrong_slot = client.call(
        "POST",
        "/api/v2/logistics/ship_order",
        body={"order_sn": sn, "pickup": {"address_id": 200018, "pickup_time_id": "1"}},
    )
    assert "pickup_time_id" in wrong_slot.data["message"]
    assert client.platform.state.orders[sn].status == "READY_TO_SHIP"


def test_a_dropoff_shop_ships_with_its_branch(client: ShopeeClient) -> None:
    client.shop_id = MY
    sn = client.all_orders(order_status="READY_TO_SHIP")[0]["order_sn"]
    parameter = client.call("GET", "/api/v2/logistics/get_shipping_parameter", {"order_sn": sn})
    assert parameter.response["info_needed"] == {"dropoff": ["branch_id"]}
    branch = parameter.response["dropoff"]["branch_list"][0]["branch_id"]
    shipped = client.call(
        "POST", "/api/v2/logistics/ship_order", body={"order_sn": sn, "dropoff": {"branch_id": branch}}
    )
    assert shipped.status == 200
    assert client.platform.state.orders[sn].status == "PROCESSED"


def test_shipping_pushes_status_and_tracking_signed_over_url_and_body(
    mock: Mock, client: ShopeeClient
) -> None:
    sn = client.all_orders(order_status="READY_TO_SHIP")[0]["order_sn"]
    ship(client, sn)
    status, tracking = mock.deliveries[-2:]  # no webhook URL: kept in the outbox, nothing is sent
    assert (status.topic, tracking.topic) == ("order_status_push", "order_trackingno_push")
    status_body = json.loads(status.body)
    assert (status_body["code"], status_body["shop_id"]) == (3, SG)
    assert status_body["data"]["ordersn"] == sn
    assert status_body["data"]["status"] == "PROCESSED"
    tracking_body = json.loads(tracking.body)
    assert tracking_body["code"] == 4
    assert tracking_body["data"]["tracking_no"] == client.platform.state.orders[sn].tracking_number
    url = "https://seller.example/shopee/push"
    mock.webhook_url = url
    headers = mock.platform.webhook_headers(mock.webhook_secret, status.body, status.topic, client.clock.now)
    key = mock.credentials["SHOPEE_PARTNER_KEY"].encode()
    assert headers == {
        "Authorization": hmac.new(key, url.encode() + b"|" + status.body, hashlib.sha256).hexdigest()
    }


def test_stock_update_of_an_item_without_models_is_visible(client: ShopeeClient) -> None:
    answer = client.call(
        "POST",
        "/api/v2/product/update_stock",
        body={"item_id": 800123456, "stock_list": [{"model_id": 0, "seller_stock": [{"stock": 7}]}]},
    )
    assert answer.response == {
        "failure_list": [],
        "success_list": [{"model_id": 0, "location_id": "SGZ", "stock": 7}],
    }
    item = client.call("GET", "/api/v2/product/get_item_base_info", {"item_id_list": "800123456"})
    stock = item.response["item_list"][0]["stock_info_v2"]
    assert stock["seller_stock"] == [{"location_id": "SGZ", "stock": 7}]
    assert stock["summary_info"]["total_available_stock"] == 7


def test_stock_update_of_models_reports_each_entry(client: ShopeeClient) -> None:
    answer = client.call(
        "POST",
        "/api/v2/product/update_stock",
        body={
            "item_id": 800123457,
            "stock_list": [
                {"model_id": 2000112, "seller_stock": [{"location_id": "SGZ", "stock": 55}]},
                {"model_id": 999, "seller_stock": [{"stock": 1}]},
                {"model_id": 2000113, "seller_stock": [{"stock": 1_000_000}]},
            ],
        },
    )
    assert answer.response["success_list"] == [{"model_id": 2000112, "location_id": "SGZ", "stock": 55}]
    assert [f["model_id"] for f in answer.response["failure_list"]] == [999, 2000113]
    models = client.call("GET", "/api/v2/product/get_model_list", {"item_id": 800123457}).response["model"]
    stocks = {m["model_id"]: m["stock_info_v2"]["seller_stock"][0]["stock"] for m in models}
    assert stocks == {2000111: 12, 2000112: 55, 2000113: 8}


def test_an_item_with_models_shows_no_stock_on_the_item(client: ShopeeClient) -> None:
    item = client.call("GET", "/api/v2/product/get_item_base_info", {"item_id_list": "800123457"})
    info = item.response["item_list"][0]
    assert info["has_model"] is True
    assert "stock_info_v2" not in info


def test_another_shops_item_is_not_found(client: ShopeeClient) -> None:
    answer = client.call("GET", "/api/v2/product/get_model_list", {"item_id": 900234567})
    assert (answer.status, answer.error) == (404, "error_not_found")


def test_simulated_orders_are_listed_and_pushed(clock: FakeClock) -> None:
    mock = make_mock(clock)
    client = ShopeeClient(mock, clock, shop_id=PH)
    created = mock.platform.simulate_order(str(PH))
    assert created["order_status"] == "READY_TO_SHIP"
    assert created["order_sn"] in {o["order_sn"] for o in client.all_orders(order_status="READY_TO_SHIP")}
    assert json.loads(mock.deliveries[-1].body)["data"]["ordersn"] == created["order_sn"]


def test_reset_restores_the_seed(mock: Mock, client: ShopeeClient) -> None:
    ship(client, client.all_orders(order_status="READY_TO_SHIP")[0]["order_sn"])
    assert len(client.all_orders(order_status="READY_TO_SHIP")) == 2
    mock.reset()
    assert len(client.all_orders(order_status="READY_TO_SHIP")) == 3
