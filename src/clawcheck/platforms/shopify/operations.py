"""What the write operations and the order filters do to, and read from, a store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from clawcheck.platforms.shopify.query import ApiError, choice, id_list, integer, parse_time
from clawcheck.platforms.shopify.state import (
    Fulfillment,
    FulfillmentOrder,
    FulfillmentOrderLine,
    Order,
    Shop,
    ShopifyState,
    fulfil,
)

__all__ = [
    "MAX_AVAILABLE",
    "create_fulfillment",
    "order_filters",
    "order_key",
    "order_matches",
    "set_inventory_level",
]

ORDER_STATUSES = ("open", "closed", "cancelled", "any")
FINANCIAL = (
    "authorized",
    "pending",
    "paid",
    "partially_paid",
    "refunded",
    "voided",
    "partially_refunded",
    "any",
    "unpaid",
)
FULFILLMENT = ("shipped", "partial", "unshipped", "any", "unfulfilled")
TIME_FILTERS = (
    "created_at_min",
    "created_at_max",
    "updated_at_min",
    "updated_at_max",
    "processed_at_min",
    "processed_at_max",
)
MAX_AVAILABLE = 1_000_000_000
# Tracking URLs Shopify fills in for the carriers it knows (when the client gives none).
TRACKING_URLS = {
    "UPS": "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums={}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1={}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={}",
    "DHL Express": "https://www.dhl.com/en/express/tracking.html?AWB={}",
}


# -- listing orders ----------------------------------------------------------------------


def order_filters(params: Mapping[str, str]) -> dict[str, str]:
    """The filters of one orders request, validated and normalised (defaults made explicit)."""
    found = {
        "status": choice("status", params.get("status"), ORDER_STATUSES, "open"),
        "financial_status": choice("financial_status", params.get("financial_status"), FINANCIAL, "any"),
        "fulfillment_status": choice(
            "fulfillment_status", params.get("fulfillment_status"), FULFILLMENT, "any"
        ),
    }
    for name in TIME_FILTERS:
        if params.get(name):
            found[name] = repr(parse_time(name, params[name]))
    if params.get("since_id"):
        found["since_id"] = str(integer("since_id", params["since_id"]))
    ids = id_list("ids", params.get("ids"))
    if ids is not None:
        found["ids"] = ",".join(map(str, ids))
    return found


def order_key(order: Order) -> tuple[float, ...]:
    """Newest first, as Shopify lists orders."""
    return (-order.created_at, -order.id)


def order_matches(order: Order, filters: Mapping[str, str]) -> bool:
    return (
        _status(order, filters["status"])
        and _financial(order, filters["financial_status"])
        and _fulfilment(order, filters["fulfillment_status"])
        and _times(order, filters)
        and ("since_id" not in filters or order.id > int(filters["since_id"]))
        and ("ids" not in filters or str(order.id) in filters["ids"].split(","))
    )


def _status(order: Order, wanted: str) -> bool:
    if wanted == "any":
        return True
    if wanted == "cancelled":
        return order.cancelled_at is not None
    if wanted == "closed":
        return order.closed_at is not None
    return order.closed_at is None and order.cancelled_at is None


def _financial(order: Order, wanted: str) -> bool:
    if wanted == "any":
        return True
    if wanted == "unpaid":
        return order.financial_status in ("pending", "authorized", "partially_paid")
    return order.financial_status == wanted


def _fulfilment(order: Order, wanted: str) -> bool:
    status = order.fulfillment_status
    return {
        "any": True,
        "shipped": status == "fulfilled",
        "partial": status == "partial",
        "unshipped": status is None,
        "unfulfilled": status != "fulfilled",
    }[wanted]


def _times(order: Order, filters: Mapping[str, str]) -> bool:
    values = {
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "processed_at": order.created_at,
    }
    for name in TIME_FILTERS:
        if name in filters:
            field, bound = name.rsplit("_", 1)
            limit = float(filters[name])
            if (bound == "min" and values[field] < limit) or (bound == "max" and values[field] > limit):
                return False
    return True


# -- fulfilment --------------------------------------------------------------------------

Pick = tuple[FulfillmentOrder, FulfillmentOrderLine, int]


def create_fulfillment(state: ShopifyState, shop: Shop, body: Any, now: float) -> tuple[Order, Fulfillment]:
    """POST /fulfillments.json: validate every request before changing anything."""
    spec = body.get("fulfillment") if isinstance(body, dict) else None
    if not isinstance(spec, dict):
        raise ApiError(400, {"fulfillment": "Required parameter missing or invalid"})
    groups = spec.get("line_items_by_fulfillment_order")
    if not isinstance(groups, list) or not groups:
        raise ApiError(400, "The required line_items_by_fulfillment_order field is missing.")
    order: Order | None = None
    picks: list[Pick] = []
    for group in groups:
        found, chosen = _group(state, shop, group)
        if order is not None and found is not order:
            raise ApiError(422, ["All fulfillment orders must belong to the same order."])
        order = found
        picks.extend(chosen)
    assert order is not None  # groups is not empty
    return order, fulfil(state, order, picks, _tracking(spec.get("tracking_info")), now)


def _group(state: ShopifyState, shop: Shop, group: Any) -> tuple[Order, list[Pick]]:
    if not isinstance(group, dict):
        raise ApiError(400, {"fulfillment": "Required parameter missing or invalid"})
    fulfillment_order_id = integer("fulfillment_order_id", group.get("fulfillment_order_id"))
    found = state.find_fulfillment_order(shop, fulfillment_order_id)
    if found is None:
        raise ApiError(422, ["Fulfillment order does not exist."])
    order, fulfillment_order = found
    if fulfillment_order.status not in ("open", "in_progress"):
        status = fulfillment_order.status
        raise ApiError(
            422, [f"Fulfillment order {fulfillment_order.id} has an unfulfillable status= {status}."]
        )
    wanted = group.get("fulfillment_order_line_items")
    if wanted is None:  # omitted: everything still open on this fulfillment order
        return order, [
            (fulfillment_order, line, line.remaining) for line in fulfillment_order.lines if line.remaining
        ]
    if not isinstance(wanted, list) or not wanted:
        raise ApiError(400, {"fulfillment_order_line_items": "Required parameter missing or invalid"})
    return order, [_pick(fulfillment_order, item) for item in wanted]


def _pick(fulfillment_order: FulfillmentOrder, item: Any) -> Pick:
    if not isinstance(item, dict):
        raise ApiError(400, {"fulfillment_order_line_items": "Required parameter missing or invalid"})
    line_id = integer("id", item.get("id"))
    quantity = integer("quantity", item.get("quantity"))
    line = next((line for line in fulfillment_order.lines if line.id == line_id), None)
    if line is None or not 0 < quantity <= line.remaining:
        raise ApiError(422, ["Invalid fulfillment order line item quantity requested."])
    return fulfillment_order, line, quantity


def _tracking(info: Any) -> tuple[str | None, str | None, str | None]:
    if not isinstance(info, dict):
        return None, None, None
    company = _text(info.get("company"))
    number = _text(info.get("number"))
    url = _text(info.get("url"))
    if url is None and number and company in TRACKING_URLS:
        url = TRACKING_URLS[company].format(number)
    return company, number, url


def _text(value: Any) -> str | None:
    return value[:255] if isinstance(value, str) and value else None


# -- inventory ---------------------------------------------------------------------------


def set_inventory_level(shop: Shop, body: Any, now: float) -> tuple[tuple[int, int], tuple[int, float]]:
    """POST /inventory_levels/set.json: connect if needed, then set `available`."""
    if not isinstance(body, dict):
        raise ApiError(400, {"inventory_item_id": "Required parameter missing or invalid"})
    item_id = integer("inventory_item_id", body.get("inventory_item_id"))
    location_id = integer("location_id", body.get("location_id"))
    available = integer("available", body.get("available"))
    variant = shop.variant_by_item(item_id)
    if variant is None or shop.location(location_id) is None:
        raise ApiError(404, "Not Found")
    if not variant.tracked:
        raise ApiError(422, ["Inventory item does not have inventory tracking enabled"])
    if abs(available) > MAX_AVAILABLE:
        raise ApiError(422, [f"Available must be between -{MAX_AVAILABLE} and {MAX_AVAILABLE}"])
    key, level = (item_id, location_id), (available, now)
    shop.levels[key] = level
    variant.updated_at = now
    return key, level


def levels_matching(
    shop: Shop, items: Sequence[int] | None, locations: Sequence[int] | None, updated_min: float | None
) -> list[tuple[tuple[int, int], tuple[int, float]]]:
    return [
        (key, level)
        for key, level in shop.levels.items()
        if (items is None or key[0] in items)
        and (locations is None or key[1] in locations)
        and (updated_min is None or level[1] >= updated_min)
    ]
