"""Inventory per (sku, warehouse): read, adjust, reserve, release, transfer.

The clean paths check and write with no await in between: on one event loop
that makes each operation atomic, so stock can never go negative. The
`racy-inventory` fault puts a yield exactly there.
"""

from __future__ import annotations

import asyncio

from clawcheck.sandbox import render
from clawcheck.sandbox.errors import ApiError, conflict, not_found, validation_error
from clawcheck.sandbox.patterns import ORDER_ID, RESERVATION_ID, SKU, WAREHOUSE
from clawcheck.sandbox.pipeline import Call, Operation, Reply
from clawcheck.sandbox.routes.orders import find_order
from clawcheck.sandbox.store import Level, Reservation, Shop, new_id
from clawcheck.sandbox.validation import Reader

__all__ = ["RESOURCES"]

REASONS = frozenset({"restock", "correction", "damage", "return", "sale"})
_MAX_DELTA = 1_000_000
_MAX_QUANTITY = 10_000  # the spec's Quantity, for reservations and transfers alike
_RACE_WINDOW = 0.01  # seconds the racy fault yields between check and write


def _insufficient(sku: str, warehouse_id: str, available: int, wanted: int) -> ApiError:
    return conflict(
        "INSUFFICIENT_STOCK", f"{sku} at {warehouse_id} has {available} available, {wanted} needed"
    )


def _existing(shop: Shop, sku: str, warehouse_id: str) -> Level:
    level = shop.level(sku, warehouse_id)
    if level is None:
        raise not_found("SKU_NOT_FOUND", f"no stock row for {sku} at {warehouse_id}")
    return level


async def get_inventory(call: Call) -> Reply:
    sku = call.params["sku"]
    if SKU.fullmatch(sku) is None:
        raise validation_error("path parameter 'sku' must match ^[A-Za-z0-9._-]{1,64}$")
    by_warehouse = call.shop.levels.get(sku)
    if not by_warehouse:
        raise not_found("SKU_NOT_FOUND", f"no stock for sku {sku}")
    fmt = call.rt.fmt
    levels = sorted(by_warehouse.values(), key=lambda lv: lv.warehouse_id)
    return Reply(
        200,
        {
            "sku": sku,
            "levels": [render.level(lv, fmt) for lv in levels],
            "total_available": sum(lv.available for lv in levels),
            "updated_at": fmt(max(lv.updated_at for lv in levels)),
        },
    )


async def adjust_inventory(call: Call) -> Reply:
    r = Reader(call.body.object(), required=("sku", "warehouse_id", "delta", "reason"))
    sku = r.text("sku", pattern=SKU, max_len=64)
    warehouse_id = r.text("warehouse_id", pattern=WAREHOUSE, max_len=32)
    delta = r.integer("delta", minimum=-_MAX_DELTA, maximum=_MAX_DELTA)
    if delta == 0:
        raise validation_error("field 'delta' must not be 0")
    r.text("reason", choices=REASONS)
    shop = call.shop
    level = shop.level(sku, warehouse_id)
    available = 0 if level is None else level.available
    if available + delta < 0:
        raise _insufficient(sku, warehouse_id, available, -delta)
    if call.rt.racy_inventory:
        await asyncio.sleep(_RACE_WINDOW)
    level = shop.level_or_create(sku, warehouse_id, call.now)
    level.on_hand += delta
    level.updated_at = call.now
    rendered = render.level(level, call.rt.fmt)
    call.emit("inventory.adjusted", lambda: rendered)
    return Reply(200, rendered)


async def reserve_inventory(call: Call) -> Reply:
    r = Reader(call.body.object(), required=("sku", "warehouse_id", "quantity"), optional=("order_id",))
    sku = r.text("sku", pattern=SKU, max_len=64)
    warehouse_id = r.text("warehouse_id", pattern=WAREHOUSE, max_len=32)
    quantity = r.integer("quantity", minimum=1, maximum=_MAX_QUANTITY)
    order_id = r.opt_text("order_id", pattern=ORDER_ID, max_len=44)
    shop = call.shop
    if order_id is not None:
        find_order(shop, order_id)
    level = _existing(shop, sku, warehouse_id)
    if level.available < quantity:
        raise _insufficient(sku, warehouse_id, level.available, quantity)
    if call.rt.racy_inventory:
        await asyncio.sleep(_RACE_WINDOW)
    level.reserved += quantity
    level.updated_at = call.now
    held = Reservation(new_id("rsv"), sku, warehouse_id, quantity, order_id, call.now)
    shop.reservations[held.reservation_id] = held
    return Reply(201, render.reservation(held, call.rt.fmt))


async def release_inventory(call: Call) -> Reply:
    r = Reader(call.body.object(), required=("reservation_id",))
    reservation_id = r.text("reservation_id", pattern=RESERVATION_ID, max_len=44)
    shop = call.shop
    held = shop.reservations.get(reservation_id)
    if held is None:
        raise not_found("RESERVATION_NOT_FOUND", f"no reservation {reservation_id!r} in this shop")
    if held.status != "active":
        raise conflict("RESERVATION_NOT_ACTIVE", f"reservation {reservation_id} is already {held.status}")
    level = shop.level(held.sku, held.warehouse_id)
    if level is not None:
        level.reserved -= held.quantity
        level.updated_at = call.now
    held.status, held.released_at = "released", call.now
    return Reply(200, render.reservation(held, call.rt.fmt))


async def transfer_inventory(call: Call) -> Reply:
    r = Reader(call.body.object(), required=("sku", "from_warehouse_id", "to_warehouse_id", "quantity"))
    sku = r.text("sku", pattern=SKU, max_len=64)
    source_id = r.text("from_warehouse_id", pattern=WAREHOUSE, max_len=32)
    target_id = r.text("to_warehouse_id", pattern=WAREHOUSE, max_len=32)
    quantity = r.integer("quantity", minimum=1, maximum=_MAX_QUANTITY)
    if source_id == target_id:
        raise validation_error("fields 'from_warehouse_id' and 'to_warehouse_id' must differ")
    shop = call.shop
    source = _existing(shop, sku, source_id)
    if source.available < quantity:
        raise _insufficient(sku, source_id, source.available, quantity)
    if call.rt.racy_inventory:
        await asyncio.sleep(_RACE_WINDOW)
    target = shop.level_or_create(sku, target_id, call.now)
    source.on_hand -= quantity
    target.on_hand += quantity
    source.updated_at = target.updated_at = call.now
    fmt = call.rt.fmt
    return Reply(
        200,
        {
            "transfer_id": new_id("trf"),
            "sku": sku,
            "quantity": quantity,
            "from": render.level(source, fmt),
            "to": render.level(target, fmt),
            "created_at": fmt(call.now),
        },
    )


RESOURCES: list[tuple[str, list[Operation]]] = [
    ("/v2/inventory/adjust", [Operation("POST", adjust_inventory, idempotent=True)]),
    ("/v2/inventory/reserve", [Operation("POST", reserve_inventory, idempotent=True)]),
    ("/v2/inventory/release", [Operation("POST", release_inventory, idempotent=True)]),
    ("/v2/inventory/transfer", [Operation("POST", transfer_inventory, idempotent=True)]),
    ("/v2/inventory/{sku}", [Operation("GET", get_inventory)]),
]
