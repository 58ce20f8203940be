"""Webhook delivery from the sandbox to a real receiver: events, format, signature, the delivery log."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from clawcheck.sandbox import Sandbox, SandboxConfig
from clawcheck.signing import verify_openclaw

from .conftest import FAST, SHOP, Api, error_of, new_key, order_body
from .receiver import Receiver, block_until, eventually

SECRET = "receiver-secret-0123456789"
ALL_TYPES = [
    "order.created",
    "order.paid",
    "order.cancelled",
    "order.refunded",
    "order.delivered",
    "shipment.confirmed",
    "shipment.exception",
    "inventory.adjusted",
]
UTC_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")


def quick(**overrides: Any) -> SandboxConfig:
    """A sandbox that retries within milliseconds."""
    return SandboxConfig(rate_limit=FAST, webhook_retry_base=0.01, webhook_retry_cap=0.1, **overrides)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(quick()) as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Api]:
    api = Api(sandbox.base_url)
    yield api
    api.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


def settled(api: Api, subscription_id: str, count: int) -> list[dict[str, Any]]:
    """The delivery log once it holds `count` deliveries, none pending (the receiver answers first)."""

    def probe() -> list[dict[str, Any]] | None:
        log = api.deliveries(subscription_id)
        return log if len(log) == count and all(d["status"] != "pending" for d in log) else None

    found: list[dict[str, Any]] = eventually(probe, what=f"{count} settled deliveries")
    return found


def test_every_event_type_is_emitted_by_its_change_and_delivered_once_signed(
    client: Api, receiver: Receiver, sandbox: Sandbox
) -> None:
    sub = client.subscribe(receiver.url, ALL_TYPES, secret=SECRET)
    only_paid = client.subscribe(receiver.url, ["order.paid"], secret=SECRET)
    other_shop = Api(sandbox.base_url, shop="shop_elsewhere", token=client.token)
    other_shop.subscribe(receiver.url, ALL_TYPES, secret=SECRET)
    other_shop.close()
    expected: list[tuple[str, dict[str, Any]]] = []  # (type, the resource the API answered)

    order = client.create_order()
    expected.append(("order.created", order))
    paid = client.post(f"/v2/orders/{order['order_id']}/pay").json()
    expected.append(("order.paid", paid))
    shipment = client.post(
        "/v2/shipments/confirm",
        {"order_id": order["order_id"], "carrier": "UPS", "tracking_number": "1Z999AA1"},
    ).json()
    expected.append(("shipment.confirmed", shipment))
    events = f"/v2/shipments/{shipment['shipment_id']}/events"
    for kind in ("customs_failed", "delivery_failed"):
        held = client.post(events, {"type": kind, "occurred_at": "2026-03-20T02:15:00Z"}).json()
        expected.append(("shipment.exception", held))
    client.post(events, {"type": "picked_up", "occurred_at": "2026-03-21T02:15:00Z"})  # no event type
    client.post(events, {"type": "delivered", "occurred_at": "2026-03-22T16:40:00Z"})
    expected.append(("order.delivered", client.get(f"/v2/orders/{order['order_id']}").json()))
    refunded = client.post(f"/v2/orders/{order['order_id']}/refund", {"amount": "1.00"}).json()
    expected.append(("order.refunded", refunded))
    second = client.create_order()
    expected.append(("order.created", second))
    cancelled = client.post(f"/v2/orders/{second['order_id']}/cancel", {"reason": "buyer asked"}).json()
    expected.append(("order.cancelled", cancelled))
    adjust = {"sku": "SKU-RED-M", "warehouse_id": "WH-SZ-01", "delta": 5, "reason": "restock"}
    expected.append(("inventory.adjusted", client.post("/v2/inventory/adjust", adjust).json()))

    # Every event once, and order.paid once more (same id) for the second subscription.
    receiver.wait_for(lambda r: len(r.answered) == len(expected) + 1)
    assert len(receiver.processed) == len(expected)
    bodies = [arrival.json() for arrival in receiver.arrivals]
    assert len(receiver.arrivals) == len(expected) + 1  # no retries
    assert {b["shop_id"] for b in bodies} == {SHOP}  # the other shop's subscription got nothing

    log = settled(client, sub["subscription_id"], len(expected))[::-1]  # oldest first
    assert [(d["event_type"], d["status"], d["attempts"]) for d in log] == [
        (kind, "delivered", 1) for kind, _ in expected
    ]
    by_id = {arrival.event_id: arrival for arrival in receiver.arrivals}
    for (kind, resource), entry in zip(expected, log, strict=True):
        arrival = by_id[entry["event_id"]]
        body = arrival.json()
        assert list(body) == ["id", "type", "created_at", "shop_id", "platform", "data"]
        assert (body["id"], body["type"], body["shop_id"]) == (entry["event_id"], kind, SHOP)
        assert re.fullmatch(r"evt_[A-Za-z0-9]{1,40}", body["id"])
        assert UTC_Z.fullmatch(body["created_at"]), body["created_at"]
        assert body["platform"] == (None if kind == "inventory.adjusted" else "shopify")
        assert body["data"] == resource
        headers = arrival.headers
        assert headers["content-type"] == "application/json"
        assert headers["x-openclaw-event-id"] == body["id"]
        assert headers["x-openclaw-event-type"] == kind
        assert headers["x-openclaw-delivery-attempt"] == "1"
        assert re.fullmatch(r"[1-9][0-9]*", headers["x-openclaw-timestamp"])
        assert re.fullmatch(r"v1=[0-9a-f]{64}", headers["x-openclaw-signature"])
        verified = verify_openclaw(SECRET, headers, arrival.body)
        assert (verified.id, verified.timestamp) == (body["id"], arrival.timestamp)
        assert UTC_Z.fullmatch(entry["created_at"])
        assert UTC_Z.fullmatch(entry["delivered_at"])
        assert (entry["last_status_code"], entry["last_error"], entry["next_attempt_at"]) == (200, None, None)

    exceptions = [b["data"]["events"][-1]["type"] for b in bodies if b["type"] == "shipment.exception"]
    assert sorted(exceptions) == ["customs_failed", "delivery_failed"]  # data says which
    paid_log = settled(client, only_paid["subscription_id"], 1)
    assert [d["event_type"] for d in paid_log] == ["order.paid"]
    assert paid_log[0]["event_id"] == log[1]["event_id"]  # one event, one id, for every subscriber


def test_the_api_answers_while_the_receiver_is_still_blocked(client: Api) -> None:
    release = threading.Event()
    happened: list[str] = []
    blocked = block_until(release)

    async def answer(arrival: Any) -> int:
        status = await blocked(arrival)
        happened.append("receiver answered")
        return status

    with Receiver(answer) as receiver:
        try:
            sub = client.subscribe(receiver.url, ["order.created"], secret=SECRET)
            order = client.create_order()
            happened.append("api answered")
            receiver.wait_for(lambda r: len(r.arrivals) == 1)  # the delivery is at the receiver, held
            (entry,) = client.deliveries(sub["subscription_id"])
            assert (entry["status"], entry["attempts"], entry["delivered_at"]) == ("pending", 1, None)
            assert client.get(f"/v2/orders/{order['order_id']}").status_code == 200  # still serving
            assert happened == ["api answered"]
        finally:
            release.set()
        receiver.wait_for(lambda r: len(r.processed) == 1)
    assert happened == ["api answered", "receiver answered"]


def test_attempts_per_subscription_are_bounded(receiver: Receiver) -> None:
    release = threading.Event()
    receiver.answer = block_until(release)
    with Sandbox(quick(webhook_max_in_flight=2)) as sandbox:
        api = Api(sandbox.base_url)
        try:
            sub = api.subscribe(receiver.url, ["order.created"])
            for _ in range(5):
                api.create_order()
            receiver.wait_for(lambda r: len(r.arrivals) == 2)
            started = sorted(d["attempts"] for d in api.deliveries(sub["subscription_id"]))
            assert started == [0, 0, 0, 1, 1]  # the other three wait for a free slot
        finally:
            release.set()
        receiver.wait_for(lambda r: len(r.processed) == 5)
        api.close()
    assert receiver.most_in_flight == 2


def test_an_idempotent_replay_emits_nothing(client: Api, receiver: Receiver) -> None:
    sub = client.subscribe(receiver.url, ["order.created", "order.paid"])
    key, body = new_key(), order_body()
    first = client.post("/v2/orders/create", body, key=key)
    replay = client.post("/v2/orders/create", body, key=key)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.headers["Idempotent-Replayed"] == "true"
    order_id = first.json()["order_id"]
    pay_key = new_key()
    client.post(f"/v2/orders/{order_id}/pay", key=pay_key)
    assert client.post(f"/v2/orders/{order_id}/pay", key=pay_key).headers["Idempotent-Replayed"] == "true"
    # The log is written by the request that changes state, before it answers.
    log = client.deliveries(sub["subscription_id"])
    assert [d["event_type"] for d in log] == ["order.paid", "order.created"]
    receiver.wait_for(lambda r: len(r.processed) == 2)
    assert sorted(a.json()["type"] for a in receiver.arrivals) == ["order.created", "order.paid"]


def test_failed_requests_emit_nothing(client: Api, receiver: Receiver) -> None:
    sub = client.subscribe(receiver.url, ["order.paid", "inventory.adjusted"])
    order_id = client.create_order()["order_id"]
    client.post(f"/v2/orders/{order_id}/cancel")
    assert client.post(f"/v2/orders/{order_id}/pay").status_code == 409
    too_much = {"sku": "SKU-RED-M", "warehouse_id": "WH-SZ-01", "delta": -(10**6), "reason": "sale"}
    assert client.post("/v2/inventory/adjust", too_much).status_code == 409
    assert client.deliveries(sub["subscription_id"]) == []


@pytest.mark.parametrize(
    "url",
    [
        "https://erp.example.com/hooks",
        "http://10.0.0.5:8080/hooks",
        "http://192.168.1.10/hooks",
        "http://0.0.0.0:8080/hooks",
        "http://0/hooks",
        "http://127.0.0.1./hooks",
        "http://localhost.example.com/hooks",
    ],
)
def test_a_receiver_off_this_machine_is_refused(api: Api, url: str) -> None:
    response = api.post("/v2/webhooks/subscriptions", {"url": url, "event_types": ["order.paid"]})
    error = error_of(response)
    assert (response.status_code, error["code"]) == (400, "VALIDATION_ERROR")
    assert "--webhook-allow-host" in error["message"]
    assert url not in [s["url"] for s in api.get("/v2/webhooks/subscriptions").json()["data"]]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/in", "http://127.8.9.10/in", "http://LOCALHOST:9/in", "https://localhost/in"]
)
def test_loopback_receivers_are_accepted(api: Api, url: str) -> None:
    api.subscribe(url, ["order.paid"])  # this module's shared sandbox pays no order: nothing is sent


def test_port_zero_is_refused(api: Api) -> None:
    response = api.post(
        "/v2/webhooks/subscriptions", {"url": "http://127.0.0.1:0/in", "event_types": ["order.paid"]}
    )
    assert "port" in error_of(response)["message"]


def test_allowed_hosts_widen_the_policy() -> None:
    config = quick(webhook_allow_hosts=["erp.example.com", "10.1.0.0/16", "192.168.1.10"])
    with Sandbox(config) as sandbox:
        api = Api(sandbox.base_url)
        for url in ("https://ERP.example.com/hooks", "http://10.1.2.3/x", "http://192.168.1.10:81/x"):
            api.subscribe(url, ["order.paid"])  # no event happens, so nothing is sent there
        refused = api.post(
            "/v2/webhooks/subscriptions", {"url": "http://10.2.0.1/x", "event_types": ["order.paid"]}
        )
        assert refused.status_code == 400
        api.close()


def test_delivery_log_pages_newest_first(client: Api, receiver: Receiver) -> None:
    sub = client.subscribe(receiver.url, ["order.created"])
    created = [client.create_order()["order_id"] for _ in range(5)]
    settled(client, sub["subscription_id"], 5)
    path = f"/v2/webhooks/subscriptions/{sub['subscription_id']}/deliveries"
    first = client.get(path, params={"limit": 2}).json()
    assert len(first["data"]) == 2
    assert first["next_cursor"]
    everything = client.deliveries(sub["subscription_id"], limit=2)
    assert everything[:2] == first["data"]
    ids = [d["event_id"] for d in everything]
    assert len(set(ids)) == 5
    orders = {a.event_id: a.json()["data"]["order_id"] for a in receiver.arrivals}
    assert [orders[i] for i in ids] == created[::-1]
    assert client.get(path, params={"limit": 5}).json()["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"cursor": "nope"}, "INVALID_CURSOR"),
        ({"cursor": "bzA"}, "INVALID_CURSOR"),  # an orders cursor ("o0") is not a deliveries cursor
        ({"cursor": "ZDk5"}, "INVALID_CURSOR"),  # "d99": never issued
        ({"limit": 0}, "VALIDATION_ERROR"),
        ({"limit": 101}, "VALIDATION_ERROR"),
        ({"status": "pending"}, "VALIDATION_ERROR"),
    ],
)
def test_delivery_log_rejects_bad_queries(api: Api, params: dict[str, Any], code: str) -> None:
    sub = api.subscribe("http://127.0.0.1:9/in", ["order.paid"])
    response = api.get(f"/v2/webhooks/subscriptions/{sub['subscription_id']}/deliveries", params=params)
    assert (response.status_code, error_of(response)["code"]) == (400, code)


def test_delivery_log_of_an_unknown_subscription_is_404(api: Api) -> None:
    response = api.get("/v2/webhooks/subscriptions/sub_missing/deliveries")
    assert (response.status_code, error_of(response)["code"]) == (404, "SUBSCRIPTION_NOT_FOUND")
