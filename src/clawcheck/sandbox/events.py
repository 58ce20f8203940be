"""Webhook events: their types, who receives one, and the body every attempt sends.

    {"id": "evt_…", "type": "order.paid", "created_at": "…Z", "shop_id": "shop_demo",
     "platform": "shopify", "data": {<the resource as the API renders it>}}

Which state change emits which type (the handlers call `Call.emit` after the change):

    order.created       createOrder                     data: Order
    order.paid          payOrder                        data: Order
    order.cancelled     cancelOrder                     data: Order
    order.refunded      refundOrder (partial or full)   data: Order
    order.delivered     addShipmentEvent `delivered`    data: Order
    shipment.confirmed  confirmShipment                 data: Shipment
    shipment.exception  addShipmentEvent `customs_failed` / `delivery_failed`
                                                        data: Shipment, the newest event says which
    inventory.adjusted  adjustInventory                 data: InventoryLevel
"""

from __future__ import annotations

from typing import Any

from clawcheck.sandbox.errors import render_json
from clawcheck.sandbox.store import Shop, Subscription

__all__ = ["EVENT_TYPES", "render_event", "subscribers"]

EVENT_TYPES = frozenset(
    {
        "order.created",
        "order.paid",
        "order.cancelled",
        "order.refunded",
        "order.delivered",
        "shipment.confirmed",
        "shipment.exception",
        "inventory.adjusted",
    }
)


def subscribers(shop: Shop, event_type: str) -> list[Subscription]:
    """The shop's active subscriptions that asked for `event_type`, oldest first."""
    return [
        sub for sub in shop.subscriptions.values() if sub.status == "active" and event_type in sub.event_types
    ]


def render_event(
    event_id: str, event_type: str, created_at: str, shop_id: str, platform: str | None, data: Any
) -> bytes:
    """The event body, in the documented key order; rendered once and sent as is by every attempt."""
    return render_json(
        {
            "id": event_id,
            "type": event_type,
            "created_at": created_at,
            "shop_id": shop_id,
            "platform": platform,
            "data": data,
        }
    )
