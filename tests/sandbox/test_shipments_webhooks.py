"""Shipments with logistics events, and webhook subscriptions."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api, error_of


def _shipped(api: Api) -> tuple[str, dict[str, Any]]:
    order_id = api.create_order()["order_id"]
    api.post(f"/v2/orders/{order_id}/pay")
    response = api.post(
        "/v2/shipments/confirm",
        {
            "order_id": order_id,
            "carrier": "SF Express",
            "tracking_number": "SF1234567890",
            "shipped_at": "2026-03-19T10:00:00.250Z",
        },
    )
    assert response.status_code == 201, response.text
    shipment: dict[str, Any] = response.json()
    return order_id, shipment


def test_confirm_shipment(api: Api) -> None:
    order_id, shipment = _shipped(api)
    assert shipment["shipment_id"].startswith("shp_")
    assert (shipment["status"], shipment["events"], shipment["order_id"]) == ("in_transit", [], order_id)
    assert shipment["shipped_at"] == "2026-03-19T10:00:00.250Z"
    assert api.get(f"/v2/shipments/{shipment['shipment_id']}").json() == shipment


def test_confirm_needs_a_paid_order(api: Api) -> None:
    order_id = api.create_order()["order_id"]
    body = {"order_id": order_id, "carrier": "UPS", "tracking_number": "1Z999AA1"}
    response = api.post("/v2/shipments/confirm", body)
    assert error_of(response)["code"] == "INVALID_STATE_TRANSITION"
    missing = api.post("/v2/shipments/confirm", {**body, "order_id": "ord_missing"})
    assert (missing.status_code, error_of(missing)["code"]) == (404, "ORDER_NOT_FOUND")


def test_events_drive_shipment_and_order_status(api: Api) -> None:
    order_id, shipment = _shipped(api)
    path = f"/v2/shipments/{shipment['shipment_id']}/events"
    picked = api.post(path, {"type": "picked_up", "occurred_at": "2026-03-19T11:00:00Z"}).json()
    assert picked["status"] == "in_transit"
    event = picked["events"][0]
    assert event["event_id"].startswith("sev_")
    assert (event["location"], event["detail"]) == (None, None)
    failed = api.post(
        path,
        {
            "type": "customs_failed",
            "occurred_at": "2026-03-20T02:15:00Z",
            "location": "Los Angeles, US",
            "detail": "Missing commercial invoice",
        },
    )
    assert (failed.status_code, failed.json()["status"]) == (201, "exception")
    delivered = api.post(path, {"type": "delivered", "occurred_at": "2026-03-22T16:40:00Z"}).json()
    assert delivered["status"] == "delivered"
    assert [e["type"] for e in delivered["events"]] == ["picked_up", "customs_failed", "delivered"]
    assert api.get(f"/v2/orders/{order_id}").json()["status"] == "delivered"
    late = api.post(path, {"type": "in_transit", "occurred_at": "2026-03-23T00:00:00Z"})
    assert error_of(late)["code"] == "INVALID_STATE_TRANSITION"


def test_unknown_shipment_is_404(api: Api) -> None:
    for response in (
        api.get("/v2/shipments/shp_missing"),
        api.post(
            "/v2/shipments/shp_missing/events", {"type": "delivered", "occurred_at": "2026-03-22T16:40:00Z"}
        ),
    ):
        assert (response.status_code, error_of(response)["code"]) == (404, "SHIPMENT_NOT_FOUND")


def test_subscription_crud_shows_the_secret_only_on_create(fresh_api: Api) -> None:
    api = fresh_api
    given = api.post(
        "/v2/webhooks/subscriptions",
        {
            "url": "https://localhost:8443/hooks",  # no event happens, so nothing is sent there
            "event_types": ["order.created"],
            "secret": "my-signing-secret-0123456789",
        },
    )
    assert given.status_code == 201
    assert given.json()["secret"] == "my-signing-secret-0123456789"
    generated = api.post(
        "/v2/webhooks/subscriptions",
        {"url": "http://127.0.0.1:9000/in", "event_types": ["order.paid", "shipment.exception"]},
    ).json()
    assert generated["secret"].startswith("whsec_")
    assert generated["status"] == "active"
    sub_id = generated["subscription_id"]
    read = api.get(f"/v2/webhooks/subscriptions/{sub_id}").json()
    assert "secret" not in read
    assert read == {k: v for k, v in generated.items() if k != "secret"}
    listed = api.get("/v2/webhooks/subscriptions").json()["data"]
    assert [s["subscription_id"] for s in listed] == [given.json()["subscription_id"], sub_id]
    assert all("secret" not in s for s in listed)
    deleted = api.delete(f"/v2/webhooks/subscriptions/{sub_id}")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert "X-OpenClaw-Trace-Id" in deleted.headers
    for response in (
        api.get(f"/v2/webhooks/subscriptions/{sub_id}"),
        api.delete(f"/v2/webhooks/subscriptions/{sub_id}"),
    ):
        assert (response.status_code, error_of(response)["code"]) == (404, "SUBSCRIPTION_NOT_FOUND")


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://example.com", "event_types": ["order.paid"]},
        {"url": "https://example.com", "event_types": []},
        {"url": "https://example.com", "event_types": ["order.paid", "order.paid"]},
        {"url": "https://example.com", "event_types": ["order.shipped"]},
        {"url": "https://example.com", "event_types": ["order.paid"], "secret": "short"},
    ],
)
def test_subscription_validation(api: Api, body: dict[str, Any]) -> None:
    response = api.post("/v2/webhooks/subscriptions", body)
    assert (response.status_code, error_of(response)["code"]) == (400, "VALIDATION_ERROR")
