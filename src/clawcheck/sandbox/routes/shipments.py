"""Shipments: confirm a paid order as shipped, read it, and record logistics events."""

from __future__ import annotations

from clawcheck.sandbox import render
from clawcheck.sandbox.errors import conflict, not_found
from clawcheck.sandbox.patterns import ORDER_ID, TRACKING
from clawcheck.sandbox.pipeline import Call, Operation, Reply
from clawcheck.sandbox.routes.orders import emit_order, find_order
from clawcheck.sandbox.store import Shipment, ShipmentEvent, Shop, new_id
from clawcheck.sandbox.validation import Reader

__all__ = ["EVENT_TYPES", "RESOURCES"]

EVENT_TYPES = frozenset({"picked_up", "in_transit", "customs_failed", "delivery_failed", "delivered"})
_STATUS_AFTER = {
    "picked_up": "in_transit",
    "in_transit": "in_transit",
    "customs_failed": "exception",
    "delivery_failed": "exception",
    "delivered": "delivered",
}

_EXCEPTIONS = frozenset({"customs_failed", "delivery_failed"})  # emit shipment.exception


def _emit(call: Call, event_type: str, shipment: Shipment) -> None:
    """A shipment's webhook event: the shipment as the API shows it, the order's platform."""
    order = call.shop.orders.get(shipment.order_id)
    fmt = call.rt.fmt
    platform = None if order is None else order.platform
    call.emit(event_type, lambda: render.shipment(shipment, fmt), platform=platform)


def _find(shop: Shop, shipment_id: str) -> Shipment:
    found = shop.shipments.get(shipment_id)
    if found is None:
        raise not_found("SHIPMENT_NOT_FOUND", f"no shipment {shipment_id!r} in this shop")
    return found


async def confirm_shipment(call: Call) -> Reply:
    r = Reader(
        call.body.object(), required=("order_id", "carrier", "tracking_number"), optional=("shipped_at",)
    )
    order_id = r.text("order_id", pattern=ORDER_ID, max_len=44)
    carrier = r.text("carrier", max_len=64)
    tracking = r.text("tracking_number", pattern=TRACKING, max_len=40)
    shipped_at = r.opt_when("shipped_at") or call.now
    shop = call.shop
    order = find_order(shop, order_id)
    if order.status != "paid":
        raise conflict("INVALID_STATE_TRANSITION", f"order is {order.status}; only a paid order can ship")
    shipment = Shipment(new_id("shp"), order_id, carrier, tracking, shipped_at, call.now, call.now)
    shop.shipments[shipment.shipment_id] = shipment
    order.move("shipped", call.now)
    _emit(call, "shipment.confirmed", shipment)
    return Reply(201, render.shipment(shipment, call.rt.fmt))


async def get_shipment(call: Call) -> Reply:
    return Reply(200, render.shipment(_find(call.shop, call.params["shipment_id"]), call.rt.fmt))


async def add_shipment_event(call: Call) -> Reply:
    r = Reader(call.body.object(), required=("type", "occurred_at"), optional=("location", "detail"))
    kind = r.text("type", choices=EVENT_TYPES)
    occurred_at = r.when("occurred_at")
    location = r.opt_text("location", max_len=200)
    detail = r.opt_text("detail", max_len=500)
    shop = call.shop
    shipment = _find(shop, call.params["shipment_id"])
    if shipment.status == "delivered":
        raise conflict("INVALID_STATE_TRANSITION", "shipment is delivered; no further events are accepted")
    shipment.events.append(ShipmentEvent(new_id("sev"), kind, occurred_at, location, detail, call.now))
    shipment.status, shipment.updated_at = _STATUS_AFTER[kind], call.now
    if kind in _EXCEPTIONS:
        _emit(call, "shipment.exception", shipment)
    if kind == "delivered":
        order = shop.orders.get(shipment.order_id)
        # A refund or cancel in the meantime outranks delivery; only a shipped order becomes delivered.
        if order is not None and order.status == "shipped":
            order.move("delivered", call.now)
            emit_order(call, "order.delivered", order)
    return Reply(201, render.shipment(shipment, call.rt.fmt))


RESOURCES: list[tuple[str, list[Operation]]] = [
    ("/v2/shipments/confirm", [Operation("POST", confirm_shipment, idempotent=True)]),
    ("/v2/shipments/{shipment_id}", [Operation("GET", get_shipment)]),
    ("/v2/shipments/{shipment_id}/events", [Operation("POST", add_shipment_event, idempotent=True)]),
]
