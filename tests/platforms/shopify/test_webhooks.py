"""Notifications: Shopify's topics, headers and HMAC, checked the way a receiving app checks them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import httpx
import pytest
from tests.platforms.shopify.conftest import DEV, TEST, Store

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.shopify import Shopify
from clawcheck.platforms.testing import intercept_httpx
from clawcheck.signing import SCHEMES
from clawcheck.signing._errors import SignatureError

HEADERS = {
    "X-Shopify-Topic",
    "X-Shopify-Hmac-Sha256",
    "X-Shopify-Shop-Domain",
    "X-Shopify-API-Version",
    "X-Shopify-Webhook-Id",
    "X-Shopify-Event-Id",
    "X-Shopify-Triggered-At",
}


def fulfil(store: Store, order_id: int) -> None:
    fo = store.get(f"/orders/{order_id}/fulfillment_orders.json").json()["fulfillment_orders"][0]
    body = {"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}}
    assert store.post("/fulfillments.json", body).status_code == 201


def test_orders_fulfilled_carries_the_order_and_verifies_with_the_client_secret(store: Store) -> None:
    fulfil(store, 5800000000001)
    (delivery,) = store.mock.deliveries
    headers = delivery.headers or {}
    assert set(headers) >= HEADERS
    assert (headers["X-Shopify-Topic"], headers["X-Shopify-Shop-Domain"]) == ("orders/fulfilled", DEV)
    assert headers["X-Shopify-API-Version"] == "2024-10"
    assert datetime.fromisoformat(headers["X-Shopify-Triggered-At"]).utcoffset() is not None
    secret = store.mock.credentials["SHOPIFY_CLIENT_SECRET"]
    SCHEMES.get("shopify").verify([secret], headers, delivery.body)
    payload = json.loads(delivery.body)
    assert (payload["name"], payload["fulfillment_status"]) == ("#1001", "fulfilled")
    with pytest.raises(SignatureError):
        SCHEMES.get("shopify").verify([secret], headers, delivery.body.replace(b"#1001", b"#1002"))


def test_each_store_names_itself(other: Store) -> None:
    body = {"location_id": 71000000003, "inventory_item_id": 46000000006, "available": 5}
    assert other.post("/inventory_levels/set.json", body).status_code == 200
    (delivery,) = other.mock.deliveries
    assert (delivery.headers or {})["X-Shopify-Shop-Domain"] == TEST


class Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers.items()), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/webhooks"
    server.shutdown()
    server.server_close()


def test_new_orders_are_delivered_over_http_as_orders_create(receiver: str) -> None:
    mock = Mock(Shopify, webhook_url=receiver)
    try:
        with intercept_httpx(mock), httpx.Client() as client:
            created = client.post(f"https://{DEV}/_clawcheck/orders", params={"shop": DEV})
        assert created.status_code == 201
        mock.flush_webhooks()
        (headers, body) = Receiver.received[0]
        assert headers["X-Shopify-Topic"] == "orders/create"
        SCHEMES.get("shopify").verify([mock.credentials["SHOPIFY_CLIENT_SECRET"]], headers, body)
        assert json.loads(body)["id"] == created.json()["id"]
        assert [d.status for d in mock.deliveries] == [200]
    finally:
        mock.close()
