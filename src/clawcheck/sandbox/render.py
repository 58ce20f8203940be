"""Records to JSON shapes of the spec. Every date-time goes through the one `TimeFormat`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from clawcheck.sandbox.errors import render_json
from clawcheck.sandbox.store import (
    Delivery,
    Level,
    Order,
    Reservation,
    Shipment,
    ShipmentEvent,
    Subscription,
)
from clawcheck.sandbox.timefmt import TimeFormat

__all__ = [
    "delivery",
    "level",
    "money",
    "order",
    "order_data",
    "order_page",
    "reservation",
    "shipment",
    "subscription",
]


def money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def order(o: Order, fmt: TimeFormat) -> bytes:
    """The order as JSON bytes, rendered once per change of the order."""
    if o.rendered is None:
        o.rendered = render_json(order_data(o, fmt))
    return o.rendered


def order_page(orders: list[Order], next_cursor: str | None, fmt: TimeFormat) -> bytes:
    """`{"data": [...], "next_cursor": ...}` spliced from the cached order bytes."""
    data = b",".join(order(o, fmt) for o in orders)
    return b'{"data":[' + data + b'],"next_cursor":' + render_json(next_cursor) + b"}"


def order_data(o: Order, fmt: TimeFormat) -> dict[str, Any]:
    """The order as a JSON-able value (webhook events embed it)."""
    buyer: dict[str, Any] = {"name": o.buyer.name}
    if o.buyer.email is not None:
        buyer["email"] = o.buyer.email
    buyer["country"] = o.buyer.country
    return {
        "order_id": o.order_id,
        "shop_id": o.shop_id,
        "platform": o.platform,
        "platform_order_id": o.platform_order_id,
        "status": o.status,
        "currency": o.currency,
        "buyer": buyer,
        "lines": [
            {"sku": line.sku, "quantity": line.quantity, "unit_price": money(line.unit_price)}
            for line in o.lines
        ],
        "warehouse_id": o.warehouse_id,
        "total_amount": money(o.total),
        "refunded_amount": money(o.refunded),
        "placed_at": fmt(o.placed_at),
        "created_at": fmt(o.created_at),
        "updated_at": fmt(o.updated_at),
    }


def level(lv: Level, fmt: TimeFormat) -> dict[str, Any]:
    return {
        "sku": lv.sku,
        "warehouse_id": lv.warehouse_id,
        "on_hand": lv.on_hand,
        "reserved": lv.reserved,
        "available": lv.available,
        "updated_at": fmt(lv.updated_at),
    }


def reservation(r: Reservation, fmt: TimeFormat) -> dict[str, Any]:
    return {
        "reservation_id": r.reservation_id,
        "sku": r.sku,
        "warehouse_id": r.warehouse_id,
        "quantity": r.quantity,
        "order_id": r.order_id,
        "status": r.status,
        "created_at": fmt(r.created_at),
        "released_at": _maybe(r.released_at, fmt),
    }


def _event(e: ShipmentEvent, fmt: TimeFormat) -> dict[str, Any]:
    return {
        "event_id": e.event_id,
        "type": e.type,
        "occurred_at": fmt(e.occurred_at),
        "location": e.location,
        "detail": e.detail,
        "recorded_at": fmt(e.recorded_at),
    }


def shipment(s: Shipment, fmt: TimeFormat) -> dict[str, Any]:
    return {
        "shipment_id": s.shipment_id,
        "order_id": s.order_id,
        "carrier": s.carrier,
        "tracking_number": s.tracking_number,
        "status": s.status,
        "events": [_event(e, fmt) for e in s.events],
        "shipped_at": fmt(s.shipped_at),
        "created_at": fmt(s.created_at),
        "updated_at": fmt(s.updated_at),
    }


def subscription(s: Subscription, fmt: TimeFormat, *, with_secret: bool = False) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "subscription_id": s.subscription_id,
        "url": s.url,
        "event_types": list(s.event_types),
        "status": s.status,
        "created_at": fmt(s.created_at),
    }
    if with_secret:
        shown["secret"] = s.secret
    return shown


def _maybe(stamp: datetime | None, fmt: TimeFormat) -> str | None:
    return None if stamp is None else fmt(stamp)


def delivery(d: Delivery, fmt: TimeFormat) -> dict[str, Any]:
    return {
        "event_id": d.event_id,
        "event_type": d.event_type,
        "status": d.status,
        "attempts": d.attempts,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "created_at": fmt(d.created_at),
        "delivered_at": _maybe(d.delivered_at, fmt),
        "next_attempt_at": _maybe(d.next_attempt_at, fmt),
    }
