"""Shopify's own Python SDK (ShopifyAPI, unmodified) against the mock over real HTTP.

The SDK takes its base URL from `ShopifyResource.site`; pointing it at the loopback
listener (public API, after `activate_session`) is all the configuration it needs. The
mock's `Link` headers point at the listener the SDK used, so `next_page()` stays local.
A socket guard makes sure nothing here can reach a real Shopify host.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
import shopify
from tests.platforms.shopify.conftest import DEV

from clawcheck.platforms import build_mock
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host) not in LOOPBACK:
            raise OSError(f"test guard: refusing to resolve {host!r}; the SDK must stay on loopback")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture
def sdk(loopback_only: None) -> Iterator[Mock]:
    mock = build_mock("shopify")
    with MockServer(mock) as server:
        env = server.env()
        session = shopify.Session(
            env["SHOPIFY_SHOP"], env["SHOPIFY_API_VERSION"], env["SHOPIFY_ACCESS_TOKEN"]
        )
        shopify.ShopifyResource.activate_session(session)
        shopify.ShopifyResource.set_site(f"{server.url_for(DEV)}/admin/api/{env['SHOPIFY_API_VERSION']}")
        try:
            yield mock
        finally:
            shopify.ShopifyResource.clear_session()


def test_sdk_lists_every_order_through_next_page(sdk: Mock) -> None:
    page = shopify.Order.find(limit=2, status="any")
    names = [order.name for order in page]
    while page.has_next_page():
        page = page.next_page()
        names += [order.name for order in page]
    assert names == ["#1007", "#1006", "#1005", "#1004", "#1003", "#1002", "#1001"]
    assert shopify.Order.count(status="any") == 7
    assert [e.notes for e in sdk.journal.entries()[1:4]] == [["cursor"]] * 3


def test_sdk_reads_one_order(sdk: Mock) -> None:
    order = shopify.Order.find(5800000000001)
    assert (order.name, order.fulfillment_status, order.line_items[0].sku) == ("#1001", None, "TRS-09")


def test_sdk_sets_inventory_and_reads_it_back(sdk: Mock) -> None:
    location = shopify.Location.find()[0]
    variant = shopify.Product.find()[0].variants[0]
    level = shopify.InventoryLevel.set(location.id, variant.inventory_item_id, 42)
    assert level.available == 42
    levels = shopify.InventoryLevel.find(
        inventory_item_ids=variant.inventory_item_id, location_ids=location.id
    )
    assert [lv.available for lv in levels] == [42]
    assert sdk.platform.state.shops[DEV].levels[(variant.inventory_item_id, location.id)][0] == 42


def test_sdk_fulfils_through_fulfillment_orders(sdk: Mock) -> None:
    (fulfillment_order,) = shopify.FulfillmentOrders.find(order_id=5800000000001)
    assert fulfillment_order.status == "open"
    fulfillment = shopify.FulfillmentV2(
        {
            "line_items_by_fulfillment_order": [{"fulfillment_order_id": fulfillment_order.id}],
            "tracking_info": {"number": "1Z999AA10123456784", "company": "UPS"},
            "notify_customer": False,
        }
    )
    assert fulfillment.save()
    assert fulfillment.name == "#1001.1"
    assert shopify.Order.find(5800000000001).fulfillment_status == "fulfilled"
    assert [o.name for o in shopify.Order.find(fulfillment_status="unshipped")] == ["#1005", "#1004"]
    assert sdk.platform.state.shops[DEV].order(5800000000001).fulfillment_status == "fulfilled"  # type: ignore[union-attr]


def test_sdk_sees_shopifys_errors(sdk: Mock) -> None:
    from pyactiveresource.connection import ResourceNotFound

    with pytest.raises(ResourceNotFound):
        shopify.Order.find(1)
