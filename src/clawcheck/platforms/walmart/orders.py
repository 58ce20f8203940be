"""Walmart's order rules: which orders a query matches, what a shipment may do, how lines change."""

from __future__ import annotations

from typing import Any

from clawcheck.platforms.walmart.errors import Refusal
from clawcheck.platforms.walmart.parse import OrderQuery, Shipment
from clawcheck.platforms.walmart.state import Order, OrderLine, StatusEntry, Tracking

__all__ = ["apply_shipment", "check_shipment", "inventory_json", "matches", "merged"]


def inventory_json(sku: str, amount: int) -> dict[str, Any]:
    return {"sku": sku, "quantity": {"unit": "EACH", "amount": amount}}


def matches(order: Order, query: OrderQuery, released: bool) -> bool:
    lines = order.lines
    checks = (
        query.start_ms <= order.order_ms <= query.end_ms,
        query.ship_node_type == "SellerFulfilled",
        not released or order.has_status("Created"),
        query.status is None or order.has_status(query.status),
        query.sku is None or any(line.sku == query.sku for line in lines),
        query.customer_order_id in (None, order.customer_order_id),
        query.purchase_order_id in (None, order.purchase_order_id),
        query.modified_start_ms is None or order.modified_ms >= query.modified_start_ms,
        query.modified_end_ms is None or order.modified_ms <= query.modified_end_ms,
    )
    return all(checks)


def check_shipment(order: Order, shipment: Shipment) -> None:
    """Refuse the whole shipment when any line cannot take it (Walmart applies all or nothing)."""
    wanted: dict[str, int] = {}
    for ship in shipment.lines:
        line = order.line(ship.line_number)
        if line is None:
            raise Refusal(
                400,
                "INVALID_REQUEST_CONTENT",
                f"lineNumber {ship.line_number} is not in purchase order {order.purchase_order_id}",
                "lineNumber",
            )
        wanted[line.number] = wanted.get(line.number, 0) + ship.quantity
        states = ("Shipped",) if shipment.partial_update else ("Created", "Acknowledged")
        available = line.quantity_in(*states)
        if wanted[line.number] > available:
            what = "shipped" if shipment.partial_update else "open (Created or Acknowledged)"
            raise Refusal(
                400,
                "INVALID_REQUEST_CONTENT",
                f"lineNumber {line.number}: {wanted[line.number]} units asked, {available} {what}",
                "statusQuantity.amount",
            )


def apply_shipment(line: OrderLine, quantity: int, tracking: Tracking, *, partial_update: bool) -> None:
    if partial_update:
        for entry in line.statuses:
            if entry.status == "Shipped":
                entry.tracking = tracking
        return
    left = quantity
    for entry in line.statuses:
        if entry.status in ("Created", "Acknowledged") and left:
            taken = min(entry.quantity, left)
            entry.quantity -= taken
            left -= taken
    line.statuses = [e for e in line.statuses if e.quantity] + [StatusEntry("Shipped", quantity, tracking)]


def merged(statuses: list[StatusEntry]) -> list[StatusEntry]:
    """Entries of the same untracked status folded into one (Acknowledged 1 + 1 -> 2)."""
    merged: list[StatusEntry] = []
    for entry in statuses:
        same = next(
            (m for m in merged if m.status == entry.status and not m.tracking and not entry.tracking), None
        )
        if same is None:
            merged.append(entry)
        else:
            same.quantity += entry.quantity
    return merged
