"""Reading what a client sent: the JSON body, order-search parameters, inventory updates.

Every function either returns a value or raises `Refused` with the error TikTok answers, so
garbage (wrong types, huge numbers, deep nesting, unknown ids) is a 4xx, never a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from clawcheck.platforms.model import Call
from clawcheck.platforms.tiktok import errors as E
from clawcheck.platforms.tiktok.errors import Refused, invalid_param
from clawcheck.platforms.tiktok.state import Product, Shop, Sku

__all__ = [
    "MAX_PAGE_SIZE",
    "ORDER_STATUSES",
    "OrderQuery",
    "StockChange",
    "json_body",
    "order_ids",
    "order_query",
    "stock_changes",
    "unix_seconds",
]

MAX_PAGE_SIZE = 100
MAX_ORDER_IDS = 50
MAX_QUANTITY = 99_999
ORDER_STATUSES = frozenset(
    {
        "UNPAID",
        "ON_HOLD",
        "AWAITING_SHIPMENT",
        "PARTIALLY_SHIPPING",
        "AWAITING_COLLECTION",
        "IN_TRANSIT",
        "DELIVERED",
        "COMPLETED",
        "CANCELLED",
    }
)
_TIME_FILTERS = ("create_time_ge", "create_time_lt", "update_time_ge", "update_time_lt")
_UNSIGNED = re.compile(r"[0-9]{1,18}")
_SIGNED = re.compile(r"-?[0-9]{1,18}")


def unix_seconds(text: str | None) -> int | None:
    """An integer of at most 18 digits (what fits TikTok's int64 fields), else None."""
    if text is None or not _SIGNED.fullmatch(text):
        return None
    return int(text)


def json_body(call: Call, *, required: bool) -> dict[str, Any]:
    request = call.request
    if not request.body.strip():
        if required:
            raise Refused(invalid_param("the request body is required"))
        return {}
    media = (request.header("content-type") or "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        raise Refused(E.NOT_JSON)
    try:
        data = request.json()  # invalid JSON raises BadBody: the engine answers it through error()
    except RecursionError:
        raise Refused(invalid_param("the request body is nested too deeply")) from None
    if not isinstance(data, dict):
        raise Refused(invalid_param("the request body must be a JSON object"))
    return data


# -- Get Order List ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderQuery:
    size: int
    offset: int
    sort_field: str
    descending: bool
    status: str | None
    shipping_type: str | None
    bounds: tuple[tuple[str, int], ...]  # (filter name, value) from the body

    def admits(self, create_time: int, update_time: int) -> bool:
        times = {"create_time": create_time, "update_time": update_time}
        for name, value in self.bounds:
            field, _, op = name.rpartition("_")
            if (op == "ge" and times[field] < value) or (op == "lt" and times[field] >= value):
                return False
        return True


def order_query(call: Call, body: dict[str, Any]) -> OrderQuery:
    params = call.request.params()
    size = _page_size(params.get("page_size"))
    token = params.get("page_token") or ""
    offset = 0
    if token:
        found = call.decode_cursor(token)
        if found is None:
            raise Refused(invalid_param("page_token is invalid or expired"))
        offset = found
    sort_field = params.get("sort_field") or "create_time"
    if sort_field not in ("create_time", "update_time"):
        raise Refused(invalid_param("sort_field must be create_time or update_time"))
    sort_order = params.get("sort_order") or "DESC"
    if sort_order not in ("ASC", "DESC"):
        raise Refused(invalid_param("sort_order must be ASC or DESC"))
    return OrderQuery(
        size=call.page_size(size, size, MAX_PAGE_SIZE),
        offset=offset,
        sort_field=sort_field,
        descending=sort_order == "DESC",
        status=_enum(body, "order_status", ORDER_STATUSES),
        shipping_type=_enum(body, "shipping_type", frozenset({"TIKTOK", "SELLER"})),
        bounds=tuple((name, _time(body, name)) for name in _TIME_FILTERS if body.get(name) is not None),
    )


def _page_size(text: str | None) -> int:
    if not text:
        raise Refused(invalid_param("page_size is required"))
    if not _UNSIGNED.fullmatch(text) or not 1 <= int(text) <= MAX_PAGE_SIZE:
        raise Refused(invalid_param(f"page_size must be an integer from 1 to {MAX_PAGE_SIZE}"))
    return int(text)


def _enum(body: dict[str, Any], name: str, allowed: frozenset[str]) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or value not in allowed:
        raise Refused(invalid_param(f"{name} must be one of {', '.join(sorted(allowed))}"))
    return value


def _time(body: dict[str, Any], name: str) -> int:
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise Refused(invalid_param(f"{name} must be a Unix timestamp in seconds"))
    return value


# -- Get Order Detail -------------------------------------------------------------------


def order_ids(call: Call) -> list[str]:
    raw = call.request.param("ids") or ""
    ids = list(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    if not ids:
        raise Refused(invalid_param("ids is required"))
    if len(ids) > MAX_ORDER_IDS:
        raise Refused(invalid_param(f"ids accepts at most {MAX_ORDER_IDS} order ids"))
    return ids


# -- Update Inventory -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StockChange:
    sku: Sku
    quantities: dict[str, int]  # warehouse id -> new absolute quantity


def stock_changes(body: dict[str, Any], product: Product, shop: Shop) -> list[StockChange]:
    """Every change validated before any is applied: an update is all or nothing."""
    entries = body.get("skus")
    if not isinstance(entries, list) or not entries:
        raise Refused(invalid_param("skus must be a non-empty list"))
    changes: list[StockChange] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise Refused(invalid_param("each element of skus must be an object"))
        change = _sku_change(entry, product, shop)
        if any(c.sku.id == change.sku.id for c in changes):
            raise Refused(E.SKU_DUPLICATE)
        changes.append(change)
    return changes


def _sku_change(entry: dict[str, Any], product: Product, shop: Shop) -> StockChange:
    sku_id = entry.get("id")
    if not isinstance(sku_id, str) or not sku_id:
        raise Refused(E.SKU_ID_MISSING)
    sku = product.sku(sku_id)
    if sku is None:
        raise Refused(E.SKU_NOT_OF_PRODUCT)
    rows = entry.get("inventory")
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise Refused(invalid_param("skus[].inventory must be a non-empty list of objects"))
    quantities: dict[str, int] = {}
    for row in rows:
        warehouse = _warehouse(row, sku, shop)
        if warehouse in quantities:
            raise Refused(E.WAREHOUSE_DUPLICATE)
        quantities[warehouse] = _quantity(row)
    if set(quantities) != set(sku.inventory):
        # "Include all warehouse IDs assigned to this SKU; do not omit any or add unrelated ones."
        raise Refused(E.WAREHOUSES_INCOMPLETE)
    return StockChange(sku, quantities)


def _warehouse(row: dict[str, Any], sku: Sku, shop: Shop) -> str:
    warehouse = row.get("warehouse_id")
    if warehouse is None or warehouse == "":
        if len(sku.inventory) != 1:
            raise Refused(E.WAREHOUSES_INCOMPLETE)
        return next(iter(sku.inventory))  # optional when the SKU has a single warehouse
    if not isinstance(warehouse, str):
        raise Refused(invalid_param("warehouse_id must be a string"))
    if warehouse not in shop.warehouses:
        raise Refused(E.warehouse_not_of_shop(warehouse[:40]))
    return warehouse


def _quantity(row: dict[str, Any]) -> int:
    quantity = row.get("quantity")
    # The docs give [1, 99 999]; 0 is accepted too, so that a sold-out SKU can be set to zero.
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 <= quantity <= MAX_QUANTITY:
        raise Refused(E.STOCK_INVALID)
    return quantity
