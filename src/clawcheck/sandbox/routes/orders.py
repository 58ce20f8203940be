"""Orders: create, list, read, and the pay / cancel / refund transitions."""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal
from typing import Any

from clawcheck.sandbox import render
from clawcheck.sandbox.errors import ApiError, conflict, not_found, validation_error
from clawcheck.sandbox.patterns import COUNTRY, CURRENCY, EMAIL, PLATFORMS, SKU, WAREHOUSE
from clawcheck.sandbox.pipeline import Call, Operation, Reply
from clawcheck.sandbox.store import Buyer, Order, OrderLine, Shop, new_id
from clawcheck.sandbox.validation import Reader

__all__ = ["RESOURCES", "STATUSES", "find_order"]

STATUSES = ("created", "paid", "shipped", "delivered", "cancelled", "refunded")
_LIMIT = re.compile(r"[0-9]{1,4}", re.ASCII)
_CURSOR = re.compile(r"[A-Za-z0-9_-]{2,40}", re.ASCII)
_CURSOR_BODY = re.compile(r"o([0-9]{1,12})", re.ASCII)
_ZERO = Decimal("0.00")


def find_order(shop: Shop, order_id: str) -> Order:
    found = shop.orders.get(order_id)
    if found is None:
        raise not_found("ORDER_NOT_FOUND", f"no order {order_id!r} in this shop")
    return found


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
    return Reply(201, render.order(order, call.rt.fmt))


def _single(call: Call, name: str) -> str | None:
    values = call.query.getlist(name)
    if len(values) > 1:
        raise validation_error(f"query parameter {name!r} must be given at most once")
    return values[0] if values else None


def _cursor_start(cursor: str | None, shop: Shop) -> int:
    """Index in the order log to scan down from."""
    if cursor is None:
        return len(shop.order_log) - 1
    try:
        if _CURSOR.fullmatch(cursor) is None:
            raise ValueError(cursor)
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        match = _CURSOR_BODY.fullmatch(decoded)
        if match is None or int(match.group(1)) >= len(shop.order_log):
            raise ValueError(cursor)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise validation_error("cursor is not one this API returned", code="INVALID_CURSOR") from None
    return int(match.group(1)) - 1


def _cursor_for(order: Order) -> str:
    return base64.urlsafe_b64encode(f"o{order.seq}".encode()).decode().rstrip("=")


async def list_orders(call: Call) -> Reply:
    status = _single(call, "status")
    if status is not None and status not in STATUSES:
        raise validation_error(f"query parameter 'status' must be one of {', '.join(STATUSES)}")
    raw_limit = _single(call, "limit")
    limit = 20
    if raw_limit is not None:
        limit = int(raw_limit) if _LIMIT.fullmatch(raw_limit) else 0
        if not 1 <= limit <= 100:
            raise validation_error("query parameter 'limit' must be an integer from 1 to 100")
    log = call.shop.order_log
    index = _cursor_start(_single(call, "cursor"), call.shop)
    page: list[Order] = []
    next_cursor: str | None = None
    while index >= 0:
        order = log[index]
        index -= 1
        if status is not None and order.status != status:
            continue
        if len(page) == limit:  # one more match exists, so there is a next page
            next_cursor = _cursor_for(page[-1])
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
    return Reply(200, render.order(order, call.rt.fmt))


RESOURCES: list[tuple[str, list[Operation]]] = [
    ("/v2/orders/create", [Operation("POST", create_order, idempotent=True)]),
    ("/v2/orders", [Operation("GET", list_orders, query=frozenset({"status", "limit", "cursor"}))]),
    ("/v2/orders/{order_id}", [Operation("GET", get_order)]),
    ("/v2/orders/{order_id}/pay", [Operation("POST", pay_order, idempotent=True)]),
    ("/v2/orders/{order_id}/cancel", [Operation("POST", cancel_order, idempotent=True)]),
    ("/v2/orders/{order_id}/refund", [Operation("POST", refund_order, idempotent=True)]),
]
