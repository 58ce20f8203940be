"""python-amazon-sp-api (import `sp_api`), unmodified, against the mock.

Over real HTTP the SDK is pointed at the loopback listeners through its public surface only:
- `auth_token_client_class=`: the constructor's documented hook for the LWA client; a
  subclass of the SDK's own `AccessTokenClient` changes nothing but the class attributes
  `scheme` and `host` (where it POSTs `/auth/o2/token`).
- `marketplace=`: an object with the three attributes the SDK reads from a `Marketplaces`
  member (`endpoint`, `marketplace_id`, `region`), whose endpoint is the listener.
In-process it needs nothing at all: it calls the real host names and the framework's respx
interception answers (the SDK is built on httpx). Every test refuses non-loopback sockets,
so a mistake can never reach Amazon.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from sp_api.api import ListingsItems, Orders
from sp_api.auth import AccessTokenClient
from sp_api.base import Marketplaces, SellingApiForbiddenException, SellingApiNotFoundException

from clawcheck.platforms.amazon import Amazon
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import in_process

from .conftest import LWA, MAPLE, NA_PRODUCTION, NORTHWIND, US, inventory_patch, make_mock

UNSHIPPED = "113-4829316-7720215"


@dataclass(frozen=True)
class LocalMarketplace:
    """What the SDK reads from a `Marketplaces` member, with the endpoint on loopback."""

    endpoint: str
    marketplace_id: str
    region: str


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect

    def connect(sock: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise ConnectionRefusedError(f"test tried to reach {host}: only loopback is allowed")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@contextmanager
def closing(client: Any) -> Iterator[Any]:
    """The SDK client, closed afterwards: its own `close()`, plus the LWA client's httpx
    connection pool, which the SDK never closes (an upstream leak that would otherwise
    surface as an unraisable ResourceWarning in some later test)."""
    try:
        yield client
    finally:
        client.close()
        client._auth._transport.close()


def credentials(mock: Mock) -> dict[str, str]:
    env = mock.credentials
    return {
        "refresh_token": env["SP_API_REFRESH_TOKEN"],
        "lwa_app_id": env["LWA_APP_ID"],
        "lwa_client_secret": env["LWA_CLIENT_SECRET"],
    }


@pytest.fixture
def served() -> Iterator[tuple[Mock, dict[str, Any]]]:
    """A production mock over real HTTP, and the SDK client arguments that reach it."""
    mock = make_mock(environment="production")
    with MockServer(mock) as server:
        lwa_client = type(
            "LwaAtMock",
            (AccessTokenClient,),
            {"scheme": "http://", "host": urlsplit(server.url_for(LWA)).netloc},
        )
        kwargs = {
            "marketplace": LocalMarketplace(server.url_for(NA_PRODUCTION), US, "us-east-1"),
            "credentials": credentials(mock),
            "auth_token_client_class": lwa_client,
        }
        yield mock, kwargs


def ship(orders: Any, order_id: str) -> Any:
    items = orders.get_order_items(order_id).payload["OrderItems"]
    return orders.confirm_shipment(
        order_id,
        marketplaceId=US,
        packageDetail={
            "packageReferenceId": "1",
            "carrierCode": "UPS",
            "trackingNumber": "1Z999AA10123456784",
            "shipDate": "2026-11-21T10:00:00Z",
            "orderItems": [
                {"orderItemId": i["OrderItemId"], "quantity": i["QuantityOrdered"]} for i in items
            ],
        },
    )


def test_sdk_lists_every_page_reads_and_ships_over_http(served: tuple[Mock, dict[str, Any]]) -> None:
    mock, kwargs = served
    with closing(Orders(**kwargs)) as orders:
        first = orders.get_orders(CreatedAfter="2020-01-01T00:00:00Z", MaxResultsPerPage=3)
        found = list(first.payload["Orders"])
        token = first.payload.get("NextToken")
        while token:
            page = orders.get_orders(NextToken=token)
            found.extend(page.payload["Orders"])
            token = page.payload.get("NextToken")
        assert len(found) == 8
        assert len({o["AmazonOrderId"] for o in found}) == 8
        assert orders.get_order(UNSHIPPED).payload["OrderStatus"] == "Unshipped"
        assert ship(orders, UNSHIPPED).payload == {"status_code": 204}
        assert orders.get_order(UNSHIPPED).payload["OrderStatus"] == "Shipped"
    assert mock.journal.entries()[0].operation == "getLwaAccessToken"
    assert {e.host for e in mock.journal.entries()} == {LWA, NA_PRODUCTION}


def test_sdk_patches_inventory_over_http(served: tuple[Mock, dict[str, Any]]) -> None:
    mock, kwargs = served
    seller = mock.credentials["SP_API_SELLER_ID"]
    with closing(ListingsItems(**kwargs)) as listings:
        result = listings.patch_listings_item(seller, "NW-TENT-2P", body=inventory_patch(9))
        assert result.payload["status"] == "ACCEPTED"
        item = listings.get_listings_item(seller, "NW-TENT-2P", includedData=["fulfillmentAvailability"])
    assert item.payload["fulfillmentAvailability"] == [{"fulfillmentChannelCode": "DEFAULT", "quantity": 9}]
    assert isinstance(mock.platform, Amazon)
    assert mock.platform.world.listings[(seller, "NW-TENT-2P")].quantity == 9


def test_sdk_raises_its_own_exceptions_on_amazons_errors(served: tuple[Mock, dict[str, Any]]) -> None:
    _, kwargs = served
    with closing(ListingsItems(**kwargs)) as listings:
        with pytest.raises(SellingApiForbiddenException) as forbidden:
            listings.get_listings_item(MAPLE, "ML-MUG-SET4")  # another seller's listing
        assert forbidden.value.code == 403
        assert forbidden.value.error[0]["code"] == "Unauthorized"
        with pytest.raises(SellingApiNotFoundException):
            listings.get_listings_item(NORTHWIND, "NO-SUCH-SKU")


def test_sdk_in_process_with_its_default_endpoints() -> None:
    with in_process("amazon", environment="production") as mock:
        with closing(Orders(marketplace=Marketplaces.US, credentials=credentials(mock))) as orders:
            assert orders.endpoint == f"https://{NA_PRODUCTION}"
            page = orders.get_orders(CreatedAfter="2020-01-01T00:00:00Z")
            assert len(page.payload["Orders"]) == 8
            assert ship(orders, UNSHIPPED).payload == {"status_code": 204}
        seller = mock.credentials["SP_API_SELLER_ID"]
        with closing(ListingsItems(marketplace=Marketplaces.US, credentials=credentials(mock))) as listings:
            patched = listings.patch_listings_item(seller, "NW-BOTTLE-1L", body=inventory_patch(3))
            assert patched.payload["status"] == "ACCEPTED"
        assert next(e.host for e in mock.journal.entries()) == LWA
        assert all(e.status < 400 for e in mock.journal.entries())
