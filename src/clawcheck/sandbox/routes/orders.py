"""Orders: create, list, read, and the pay / cancel / refund transitions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clawcheck.sandbox import paging, render
from clawcheck.sandbox.errors import ApiError, conflict, not_found, validation_error
from clawcheck.sandbox.patterns import COUNTRY, CURRENCY, EMAIL, PLATFORMS, SKU, WAREHOUSE
from clawcheck.sandbox.pipeline import Call, Operation, Reply
from clawcheck.sandbox.store import Buyer, Order, OrderLine, Shop, new_id
from clawcheck.sandbox.validation import Reader

__all__ = ["RESOURCES", "STATUSES", "emit_order", "find_order"]

STATUSES = ("created", "paid", "shipped", "delivered", "cancelled", "refunded")
_CURSOR_TAG = "o"
_ZERO = Decimal("0.00")


def find_order(shop: Shop, order_id: str) -> Order:
    found = shop.orders.get(order_id)
    if found is None:
        raise not_found("ORDER_NOT_FOUND", f"no order {order_id!r} in this shop")
    return found


def emit_order(call: Call, event_type: str, order: Order) -> None:
    """The webhook event of an order's change, with the order as the API shows it."""
    fmt = call.rt.fmt
    call.emit(event_type, lambda: render.order_data(order, fmt), platform=order.platform)


def _transition(order: Order, allowed: tuple[str, ...], target: str) -> ApiError:
    return conflict(
        "INVALID_STATE_TRANSITION",
        f"order is {order.status}; {target} needs it to be {' or '.join(allowed)}",
    )


def _line(item: Any, index: int) -> OrderLine:
    r = Reader(item, required=("sku", "quantity", "unit_price"), where=f"lines[{index}]")
    return OrderLine(
        r.text("sku", pattern=SKU, max_len=64),
        r.integer("quantity", minimum=1, maximum=10_000),
        r.money("unit_price"),
    )


async def create_order(call: Call) -> Reply:
    r = Reader(
        call.body.object(),
        required=("platform", "platform_order_id", "currency", "buyer", "lines", "warehouse_id", "placed_at"),
    )
    platform = r.text("platform", choices=PLATFORMS)
    platform_order_id = r.text("platform_order_id", max_len=128)
    currency = r.text("currency", pattern=CURRENCY, max_len=3)
    b = r.child("buyer", required=("name", "country"), optional=("email",))
    buyer = Buyer(
        b.text("name", max_len=200),
        b.opt_text("email", pattern=EMAIL, max_len=254),
        b.text("country", pattern=COUNTRY, max_len=2),
    )
    lines = tuple(_line(item, i) for i, item in enumerate(r.array("lines", min_items=1, max_items=50)))
    warehouse_id = r.text("warehouse_id", pattern=WAREHOUSE, max_len=32)
    placed_at = r.when("placed_at")
    shop = call.shop
    if (platform, platform_order_id) in shop.platform_orders:
        raise conflict(
            "DUPLICATE_ORDER", f"{platform} order {platform_order_id!r} already exists in this shop"
        )
    order = Order(
        order_id=new_id("ord"),
        shop_id=shop.shop_id,
        seq=len(shop.order_log),
        platform=platform,
        platform_order_id=platform_order_id,
        currency=currency,
        buyer=buyer,
        lines=lines,
        warehouse_id=warehouse_id,
        total=sum((line.unit_price * line.quantity for line in lines), _ZERO),
        placed_at=placed_at,
        created_at=call.now,
        updated_at=call.now,
    )
    shop.orders[order.order_id] = order
    shop.order_log.append(order)
    shop.platform_orders[(platform, platform_order_id)] = order.order_id
    emit_order(call, "order.created", order)
    return Reply(201, render.order(order, call.rt.fmt))


async def list_orders(call: Call) -> Reply:
    query = call.query
    status = paging.single(query, "status")
    if status is not None and status not in STATUSES:
        raise validation_error(f"query parameter 'status' must be one of {', '.join(STATUSES)}")
    limit = paging.page_limit(query)
    log = call.shop.order_log
    cursor = paging.single(query, "cursor")
    # Scan down from the newest order, or from just below the cursor's.
    index = len(log) - 1 if cursor is None else paging.cursor_seq(cursor, _CURSOR_TAG, len(log)) - 1
    page: list[Order] = []
    next_cursor: str | None = None
    while index >= 0:
        order = log[index]
        index -= 1
        if status is not None and order.status != status:
            continue
        if len(page) == limit:  # one more match exists, so there is a next page
            next_cursor = paging.cursor_for(_CURSOR_TAG, page[-1].seq)
            break
        page.append(order)
    fmt = call.rt.fmt
    return Reply(200, render.order_page(page, next_cursor, fmt))


async def get_order(call: Call) -> Reply:
    return Reply(200, render.order(find_order(call.shop, call.params["order_id"]), call.rt.fmt))


async def pay_order(call: Call) -> Reply:
    order = find_order(call.shop, call.params["order_id"])
    if order.status != "created":
        raise _transition(order, ("created",), "pay")
    order.move("paid", call.now)
    emit_order(call, "order.paid", order)
    return Reply(200, render.order(order, call.rt.fmt))


async def cancel_order(call: Call) -> Reply:
    r = Reader(call.body.object(required=False), required=(), optional=("reason",))
    r.opt_text("reason", min_len=0, max_len=500)
    shop = call.shop
    order = find_order(shop, call.params["order_id"])
    if order.status not in ("created", "paid"):
        raise _transition(order, ("created", "paid"), "cancel")
    for held in shop.reservations.values():
        if held.order_id == order.order_id and held.status == "active":
            level = shop.level(held.sku, held.warehouse_id)
            if level is not None:
                level.reserved -= held.quantity
                level.updated_at = call.now
            held.status, held.released_at = "released", call.now
    order.move("cancelled", call.now)
    emit_order(call, "order.cancelled", order)
    return Reply(200, render.order(order, call.rt.fmt))


async def refund_order(call: Call) -> Reply:
    r = Reader(call.body.object(), required=("amount",), optional=("reason",))
    amount = r.money("amount")
    r.opt_text("reason", min_len=0, max_len=500)
    order = find_order(call.shop, call.params["order_id"])
    refundable = ("paid", "shipped", "delivered")
    if order.status not in refundable:
        raise _transition(order, refundable, "refund")
    remaining = order.total - order.refunded
    if amount <= _ZERO or amount > remaining:
        raise conflict(
            "REFUND_EXCEEDS_TOTAL",
            f"refund amount must be more than 0.00 and at most {render.money(remaining)}",
        )
    order.refund(amount, call.now)
    emit_order(call, "order.refunded", order)
    return Reply(200, render.order(order, call.rt.fmt))


RESOURCES: list[tuple[str, list[Operation]]] = [
    ("/v2/orders/create", [Operation("POST", create_order, idempotent=True)]),
    ("/v2/orders", [Operation("GET", list_orders, query=frozenset({"status", "limit", "cursor"}))]),
    ("/v2/orders/{order_id}", [Operation("GET", get_order)]),
    ("/v2/orders/{order_id}/pay", [Operation("POST", pay_order, idempotent=True)]),
    ("/v2/orders/{order_id}/cancel", [Operation("POST", cancel_order, idempotent=True)]),
    ("/v2/orders/{order_id}/refund", [Operation("POST", refund_order, idempotent=True)]),
]
