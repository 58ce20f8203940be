"""GetOrders, GetOrder, GetOrderItems: filters, offset pagination, the seller's own orders only."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.lazada import Lazada

from .conftest import MY, SG, SG_HOST, TH, Client, Clock

LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$")


def _all_pages(client: Client, limit: int, **params: str) -> list[dict[str, object]]:
    collected: list[dict[str, object]] = []
    offset = 0
    while True:
        data = client.orders(offset=str(offset), limit=str(limit), **params).data
        collected.extend(data["orders"])
        offset += data["count"]
        if not data["orders"] or offset >= data["countTotal"]:
            return collected


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 100])
def test_paging_through_every_offset_returns_each_order_exactly_once(client: Client, limit: int) -> None:
    orders = _all_pages(client, limit)
    ids = [o["order_id"] for o in orders]
    expected = {o.order_id for o in client.platform.state.seller_orders(SG)}
    assert len(ids) == len(set(ids)) == len(expected) == 7
    assert set(ids) == expected


def test_a_page_reports_its_own_count_and_the_filters_total(client: Client) -> None:
    data = client.orders(offset="2", limit="3").data
    assert (data["count"], data["countTotal"], len(data["orders"])) == (3, 7, 3)
    assert client.orders(offset="6", limit="3").data["count"] == 1
    assert client.orders(offset="7", limit="3").data == {"count": 0, "countTotal": 7, "orders": []}


def test_orders_are_newest_first_by_default_and_sortable(client: Client) -> None:
    newest = [o["order_id"] for o in client.orders().data["orders"]]
    oldest = [o["order_id"] for o in client.orders(sort_direction="ASC").data["orders"]]
    assert newest == oldest[::-1]


def test_each_seller_sees_only_its_own_orders(client: Client) -> None:
    counts = {
        seller: client.orders(seller=seller, host=host).data["countTotal"]
        for seller, host in ((SG, SG_HOST), (MY, "api.lazada.com.my"), (TH, "api.lazada.co.th"))
    }
    assert counts == {SG: 7, MY: 3, TH: 3}


def test_order_fields_are_rendered_as_lazada_does(client: Client) -> None:
    order = client.orders().data["orders"][0]
    assert LOCAL_TIME.match(str(order["created_at"]))
    assert str(order["created_at"]).endswith("+0800")
    assert isinstance(order["order_id"], int)
    assert re.fullmatch(r"\d+\.\d{2}", str(order["price"]))
    assert order["statuses"] == ["pending"]
    thai = client.orders(seller=TH, host="api.lazada.co.th").data["orders"][0]
    assert str(thai["created_at"]).endswith("+0700")


def test_created_after_is_honoured_whatever_the_offset(client: Client, clock: Clock) -> None:
    # Seeded orders are 3, 9, 20, 31, 44, 60 and 96 hours old.
    data = client.orders(created_after=_iso(clock.now - 24 * 3600)).data
    assert data["countTotal"] == 3
    data = client.orders(
        created_after=_iso(clock.now - 48 * 3600), created_before=_iso(clock.now - 10 * 3600)
    ).data
    assert data["countTotal"] == 3


def test_an_offset_in_another_zone_means_the_same_instant(client: Client, clock: Clock) -> None:
    utc = client.orders(created_after=_iso(clock.now - 24 * 3600)).data["countTotal"]
    local = client.orders(created_after=_iso(clock.now - 24 * 3600, "+08:00")).data["countTotal"]
    assert utc == local == 3


def test_status_filters(client: Client) -> None:
    assert client.orders(status="pending").data["countTotal"] == 4
    assert client.orders(status="toship").data["countTotal"] == 2
    assert client.orders(status="delivered").data["countTotal"] == 1


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"created_after": "2026-11-01 00:00:00"}, "17"),
        ({"created_after": "2026-11-01T00:00:00"}, "17"),
        ({"created_after": "yesterday"}, "17"),
        ({"limit": "0"}, "19"),
        ({"limit": "101"}, "19"),
        ({"limit": "ten"}, "19"),
        ({"offset": "-1"}, "14"),
        ({"offset": "5001"}, "14"),
        ({"status": "teleported"}, "36"),
        ({"sort_by": "price"}, "75"),
        ({"sort_direction": "UP"}, "74"),
    ],
)
def test_invalid_filters_get_lazadas_business_errors(
    client: Client, params: dict[str, str], code: str
) -> None:
    answer = client.orders(**params)
    assert (answer.status, answer.code, answer.body["type"]) == (200, code, "ISV")
    assert answer.body["message"].startswith(f"E{int(code):03d}")


def test_created_after_or_update_after_is_mandatory(client: Client) -> None:
    answer = client.get("/orders/get", status="pending")
    assert answer.code == "1"
    assert client.get("/orders/get", update_after="2026-01-01T00:00:00Z").code == "0"


def test_get_order_and_its_items(client: Client) -> None:
    order_id = client.orders().data["orders"][0]["order_id"]
    order = client.get("/order/get", order_id=str(order_id)).data
    assert order["order_id"] == order_id
    items = client.get("/order/items/get", order_id=str(order_id)).data
    assert [i["order_id"] for i in items] == [order_id] * order["items_count"]
    assert {i["status"] for i in items} == set(order["statuses"])
    assert items[0]["currency"] == "SGD"
    assert items[0]["sku_id"].isdigit()


@pytest.mark.parametrize("order_id", ["560694410001001", "1", "abc", "9" * 30])
def test_an_order_not_of_this_seller_is_an_invalid_order_id(client: Client, order_id: str) -> None:
    # 560694410001001 is the Malaysian seller's first order.
    for api in ("/order/get", "/order/items/get"):
        answer = client.get(api, order_id=order_id)
        assert (answer.code, answer.body["message"]) == ("16", f'E016: "{order_id[:40]}" Invalid Order ID')


def test_pagination_edges_caps_pages_so_a_client_must_page_by_what_came_back(clock: Clock) -> None:
    mock = Mock(Lazada, scenarios=["pagination-edges"], clock=lambda: clock.now, monotonic=lambda: clock.mono)
    client = Client(mock, clock)
    data = client.orders(limit="100").data
    assert (data["count"], data["countTotal"]) == (2, 7)
    assert len(_all_pages(client, 100)) == 7


def _iso(moment: float, offset: str = "+00:00") -> str:
    sign = 1 if offset[0] == "+" else -1
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return datetime.fromtimestamp(moment, zone).isoformat(timespec="seconds")
