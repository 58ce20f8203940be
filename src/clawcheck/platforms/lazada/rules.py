"""What each Lazada API accepts, and how it refuses the rest (business errors, HTTP 200).

Codes and messages are the API reference's own (`E017: "%s" Invalid Date Format`, `E501:
Update product failed` with a per-SKU `detail`, fulfilment's `700026` and friends); where the
reference names none, docs/platforms/lazada.md says what this mock chose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from clawcheck.platforms.lazada.catalog import LazadaState, Order, Product, Sku
from clawcheck.platforms.lazada.payloads import SkuUpdate, as_id
from clawcheck.platforms.lazada.protocol import parse_iso

__all__ = [
    "MAX_BATCH",
    "OrderQuery",
    "Refusal",
    "SkuChange",
    "batch_failure",
    "clip",
    "item_result",
    "missing",
    "order_query",
    "plan_stock",
]

MAX_BATCH = 20  # Pack / ReadyToShip: "Batch size is limited to 20"
MAX_SKUS = 50  # stock updates: "The maximum number of products that can be updated is 50"
MAX_OFFSET = 5000  # GetOrders tutorial: offset "Maximum value: 5000"
MAX_QUANTITY = 999_999  # not documented: the mock's upper bound for a stock figure
MAX_PRICE = Decimal("100000000")
WAREHOUSE = "dropshipping"  # the single warehouse every seeded seller has
STATUS_FILTERS: Mapping[str, frozenset[str] | None] = {
    "all": None,
    "topack": frozenset({"pending"}),
    "toship": frozenset({"packed", "ready_to_ship"}),
    "shipping": frozenset({"shipped"}),
    **{
        name: frozenset({name})
        for name in (
            "unpaid", "pending", "packed", "ready_to_ship", "shipped", "delivered", "canceled", "returned",
            "failed", "lost",
        )
    },
}  # fmt: skip


class Refusal(Exception):
    """An API refusing the request: rendered as Lazada's error body with HTTP 200."""

    def __init__(self, code: str, message: str, detail: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail


def missing(name: str) -> Refusal:
    return Refusal(
        "MissingParameter",
        f"The input parameter “{name}” that is mandatory for processing this request is not supplied",
    )


def clip(text: str) -> str:
    """A client's value as it may be echoed in a message: bounded."""
    return text[:40]


# -- GetOrders ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderQuery:
    """GetOrders' filters, validated."""

    window: Mapping[str, float]  # created_after / created_before / update_after / update_before
    statuses: frozenset[str] | None
    sort_by: str
    descending: bool
    offset: int
    limit: int

    def matches(self, order: Order) -> bool:
        bounds = (
            ("created_after", order.created, 1),
            ("created_before", order.created, -1),
            ("update_after", order.updated, 1),
            ("update_before", order.updated, -1),
        )
        for name, moment, sense in bounds:
            limit = self.window.get(name)
            if limit is not None and (moment - limit) * sense < 0:
                return False
        return self.statuses is None or any(status in self.statuses for status in order.statuses)

    def sort_key(self, order: Order) -> tuple[float, int]:
        return (order.created if self.sort_by == "created_at" else order.updated, order.order_id)


def _bounded(text: str | None, default: int, low: int, high: int) -> int | None:
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    number = int(text)
    return number if low <= number <= high else None


def _window(params: Mapping[str, str]) -> dict[str, float]:
    window: dict[str, float] = {}
    for name in ("created_after", "created_before", "update_after", "update_before"):
        text = params.get(name, "")
        if text:
            moment = parse_iso(text)
            if moment is None:
                raise Refusal("17", f'E017: "{clip(text)}" Invalid Date Format')
            window[name] = moment
    if "created_after" not in window and "update_after" not in window:
        raise Refusal("1", "E001: Parameter created_after or update_after is mandatory")
    return window


def order_query(params: Mapping[str, str]) -> OrderQuery:
    window = _window(params)
    status = params.get("status") or "all"
    if status not in STATUS_FILTERS:
        raise Refusal("36", "E036: Invalid status filter")
    sort_by = params.get("sort_by") or "created_at"
    if sort_by not in ("created_at", "updated_at"):
        raise Refusal("75", "E075: Invalid sort filter.")
    direction = (params.get("sort_direction") or "DESC").upper()
    if direction not in ("ASC", "DESC"):
        raise Refusal("74", "E074: Invalid sort direction.")
    offset = _bounded(params.get("offset"), 0, 0, MAX_OFFSET)
    if offset is None:
        raise Refusal("14", f'E014: "{clip(params.get("offset", ""))}" Invalid Offset')
    limit = _bounded(params.get("limit"), 100, 1, 100)
    if limit is None:
        raise Refusal("19", f'E019: "{clip(params.get("limit", ""))}" Invalid Limit')
    return OrderQuery(window, STATUS_FILTERS[status], sort_by, direction == "DESC", offset, limit)


# -- fulfilment --------------------------------------------------------------------------


def batch_failure(code: str, message: str) -> dict[str, Any]:
    """A fulfilment batch refused as a whole: `success: false` with the reason."""
    return {"result": {"success": False, "errorCode": code, "errorMsg": message}}


def item_result(item_id: int | None, code: str, message: str) -> dict[str, Any]:
    return {"order_item_id": item_id or 0, "item_err_code": code, "msg": message, "retry": False}


# -- stock and price ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkuChange:
    sku: Sku
    product: Product
    sellable: int | None
    price: Decimal | None
    sale_price: Decimal | None

    def apply(self, now: float) -> None:
        if self.sellable is not None:
            self.sku.sellable = self.sellable
        if self.price is not None:
            self.sku.price = self.price
        if self.sale_price is not None:
            self.sku.special_price = self.sale_price
        self.product.updated = now


class _Problem(Exception):
    """One SKU of a stock update is wrong: a `detail` entry of the E501 refusal."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def plan_stock(
    state: LazadaState, seller_id: str, updates: list[SkuUpdate], *, sellable: bool
) -> list[SkuChange]:
    """Every SKU's change, or `Refusal` 501 listing every bad SKU (then nothing is applied)."""
    if not updates:
        raise Refusal("30", "E030: Empty Request")
    if len(updates) > MAX_SKUS:
        if sellable:
            raise Refusal("204", "E204: Too many SKU in one request")
        raise Refusal(
            "4171",
            "The updated SKU quantity exceeds the maximum number 50, "
            "please do not update more than 50 SKUs at once",
        )
    changes: list[SkuChange] = []
    problems: list[dict[str, str]] = []
    for update in updates:
        try:
            changes.append(_plan_sku(state, seller_id, update, sellable))
        except _Problem as problem:
            problems.append({"field": problem.field, "message": problem.message, "seller_sku": update.label})
    if problems:
        raise Refusal("501", "E501: Update product failed", problems)
    return changes


def _plan_sku(state: LazadaState, seller_id: str, update: SkuUpdate, sellable: bool) -> SkuChange:
    product, sku = _locate(state, seller_id, update)
    quantity = _stock_figure(update, sellable)
    new_sellable = quantity
    if quantity is not None and not sellable:  # <Quantity> is the total; occupied units stay held
        occupied = state.occupied(sku.sku_id)
        if quantity < occupied:
            raise _Problem(
                "Quantity", f"the total quantity cannot be less than the occupied quantity {occupied}"
            )
        new_sellable = quantity - occupied
    price = sale = None
    if not sellable:
        price = _price(update.price, "Price")
        sale = _price(update.sale_price, "SalePrice")
        if sale is not None and sale > (price or sku.price):
            raise _Problem("SalePrice", "BIZ_CHECK_SPECIAL_PRICE_RATE_OUT_OF_RANGE")
    return SkuChange(sku, product, new_sellable, price, sale)


def _locate(state: LazadaState, seller_id: str, update: SkuUpdate) -> tuple[Product, Sku]:
    sku_id = as_id(update.sku_id) if update.sku_id else None
    if (update.sku_id and sku_id is None) or not (update.sku_id or update.seller_sku):
        raise _Problem("SkuId", "skuId is a mandatory field and must be filled in.")
    found = state.find_sku(seller_id, sku_id, update.seller_sku)
    if found is None or (update.item_id and as_id(update.item_id) != found[0].item_id):
        raise _Problem("SellerSku", "SELLER_SKU_NOT_FOUND")
    return found


def _stock_figure(update: SkuUpdate, sellable: bool) -> int | None:
    """The quantity asked for: the SKU's own element, else its default-warehouse entry."""
    warehouses = dict(update.warehouses)
    if any(code != WAREHOUSE for code in warehouses):
        raise _Problem("WarehouseCode", "warehouse code not found for this seller")
    given = (update.sellable if sellable else update.quantity) or warehouses.get(WAREHOUSE)
    if given is None:
        if sellable:
            raise _Problem("SellableQuantity", "SellableQuantity is a mandatory field")
        return None
    if not (given.isascii() and given.isdigit()) or len(given) > 7 or int(given) > MAX_QUANTITY:
        raise _Problem("Quantity", "THD_INVENTORY_ERR_INV_PARAM_ILLEGAL:illegal parameter:quantity")
    return int(given)


def _price(text: str | None, field: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    cents = Decimal("0.01")
    if not value.is_finite() or not Decimal("0") < value < MAX_PRICE or value != value.quantize(cents):
        raise _Problem(field, "BIZ_CHECK_PRICE_PRECISION_INVALID")
    return value
