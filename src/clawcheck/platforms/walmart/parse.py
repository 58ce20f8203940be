"""Reading what a Walmart client sent: query filters, shipment and inventory bodies.

Every function either returns clean values or raises `Refusal` with the code Walmart uses
for that mistake; garbage never gets further than this module.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from clawcheck.platforms.walmart.errors import Refusal
from clawcheck.platforms.walmart.state import DAY_MS, LINE_STATUSES, METHOD_CODES, Tracking, iso_ms

__all__ = [
    "OrderQuery",
    "ShipLine",
    "Shipment",
    "parse_flag",
    "parse_inventory",
    "parse_order_query",
    "parse_shipment",
]

INT32_MAX = 2**31 - 1
MAX_EPOCH_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
MAX_LIMIT = 200
HISTORY_MS = 180 * DAY_MS  # Walmart serves orders of the last 180 days only
SHIP_NODE_TYPES = ("SellerFulfilled", "WFSFulfilled", "3PLFulfilled")


def _bad_param(name: str, description: str) -> Refusal:
    return Refusal(400, "INVALID_REQUEST_PARAM", description, field=name)


def _bad_content(name: str, description: str) -> Refusal:
    return Refusal(400, "INVALID_REQUEST_CONTENT", description, field=name)


def parse_instant(value: str, name: str) -> int:
    """Epoch ms of `2020-03-16` or an ISO 8601 date-time; no offset means UTC, as Walmart reads it."""
    text = value.strip()
    if not text or len(text) > 40:
        raise _bad_param(name, f"{name} must be a date (yyyy-MM-dd) or an ISO 8601 date-time")
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        stamp = math.floor(moment.timestamp() * 1000)
    except (ValueError, OverflowError):
        raise _bad_param(name, f"{name} must be a date (yyyy-MM-dd) or an ISO 8601 date-time") from None
    if not 0 <= stamp <= MAX_EPOCH_MS:
        raise _bad_param(name, f"{name} is out of range")
    return stamp


def _digits(text: str) -> bool:
    """ASCII digits only, and few enough that int() is cheap (str.isdigit() admits '²')."""
    return text.isascii() and text.isdigit() and len(text) <= 10


def parse_flag(params: Mapping[str, str], name: str) -> bool:
    value = params.get(name, "false")
    if value not in ("true", "false"):
        raise _bad_param(name, f"{name} must be true or false")
    return value == "true"


def _limit(params: Mapping[str, str]) -> int | None:
    text = params.get("limit")
    if text is None:
        return None
    if not _digits(text) or not 1 <= int(text) <= MAX_LIMIT:
        raise _bad_param("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(text)


@dataclass(frozen=True, slots=True)
class OrderQuery:
    """The filters of a Get All Orders call (or of the call a `nextCursor` continues)."""

    start_ms: int
    end_ms: int
    limit: int | None
    product_info: bool
    ship_node_type: str
    status: str | None = None
    sku: str | None = None
    customer_order_id: str | None = None
    purchase_order_id: str | None = None
    modified_start_ms: int | None = None
    modified_end_ms: int | None = None

    def cursor_params(self) -> list[tuple[str, str]]:
        """The filters as the next page's query string carries them (Walmart's nextCursor does)."""
        found = [("createdStartDate", iso_ms(self.start_ms)), ("createdEndDate", iso_ms(self.end_ms))]
        optional = (
            ("status", self.status),
            ("sku", self.sku),
            ("customerOrderId", self.customer_order_id),
            ("purchaseOrderId", self.purchase_order_id),
            ("lastModifiedStartDate", _iso_or_none(self.modified_start_ms)),
            ("lastModifiedEndDate", _iso_or_none(self.modified_end_ms)),
        )
        found += [(name, value) for name, value in optional if value is not None]
        found += [("productInfo", str(self.product_info).lower()), ("shipNodeType", self.ship_node_type)]
        return found


def _iso_or_none(value: int | None) -> str | None:
    return None if value is None else iso_ms(value)


def parse_order_query(params: Mapping[str, str], now_ms: int, *, released: bool) -> OrderQuery:
    """The filters of `params`; defaults as Walmart's: the last 7 days, SellerFulfilled."""
    start = (
        parse_instant(params["createdStartDate"], "createdStartDate")
        if "createdStartDate" in params
        else None
    )
    end = parse_instant(params["createdEndDate"], "createdEndDate") if "createdEndDate" in params else now_ms
    start = max(start if start is not None else now_ms - 7 * DAY_MS, now_ms - HISTORY_MS)
    if start > end:
        raise _bad_param("createdStartDate", "createdStartDate must not be after createdEndDate")
    status = params.get("status")
    if status is not None and (released or status not in LINE_STATUSES):
        raise _bad_param("status", f"status must be one of {', '.join(LINE_STATUSES)}")
    node = params.get("shipNodeType", "SellerFulfilled")
    if node not in SHIP_NODE_TYPES:
        raise _bad_param("shipNodeType", f"shipNodeType must be one of {', '.join(SHIP_NODE_TYPES)}")
    modified = {
        name: parse_instant(params[name], name)
        for name in ("lastModifiedStartDate", "lastModifiedEndDate")
        if name in params
    }
    return OrderQuery(
        start_ms=start,
        end_ms=end,
        limit=_limit(params),
        product_info=parse_flag(params, "productInfo"),
        ship_node_type=node,
        status=status,
        sku=params.get("sku"),
        customer_order_id=params.get("customerOrderId"),
        purchase_order_id=params.get("purchaseOrderId"),
        modified_start_ms=modified.get("lastModifiedStartDate"),
        modified_end_ms=modified.get("lastModifiedEndDate"),
    )


# -- bodies ------------------------------------------------------------------------------


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad_content(where, f"{where} must be a JSON object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise _bad_content(where, f"{where} must be a non-empty array")
    return value


def _text(value: Any, where: str, *, limit: int = 200) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise _bad_content(where, f"{where} must be a non-empty string of at most {limit} characters")
    return value


def _count(value: Any, where: str) -> int:
    """A whole quantity as Walmart sends it: a number or a string of digits."""
    if isinstance(value, bool):
        raise _bad_content(where, f"{where} must be a whole number")
    if isinstance(value, str) and _digits(value):
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= INT32_MAX:
        raise _bad_content(where, f"{where} must be a whole number from 0 to {INT32_MAX}")
    return value


@dataclass(frozen=True, slots=True)
class ShipLine:
    line_number: str
    quantity: int
    tracking: Tracking


@dataclass(frozen=True, slots=True)
class Shipment:
    lines: tuple[ShipLine, ...]
    partial_update: bool  # processMode PARTIAL_UPDATE: new tracking for lines already shipped


def parse_shipment(body: Any) -> Shipment:
    shipment = _object(_object(body, "body").get("orderShipment"), "orderShipment")
    mode = shipment.get("processMode")
    if mode not in (None, "PARTIAL_UPDATE"):
        raise _bad_content("processMode", "processMode must be PARTIAL_UPDATE when given")
    order_lines = _object(shipment.get("orderLines"), "orderLines")
    lines = []
    for index, raw in enumerate(_list(order_lines.get("orderLine"), "orderLine")[:1000]):
        line = _object(raw, f"orderLine[{index}]")
        number = _text(line.get("lineNumber"), "lineNumber", limit=10)
        statuses = _object(line.get("orderLineStatuses"), "orderLineStatuses")
        for entry in _list(statuses.get("orderLineStatus"), "orderLineStatus")[:100]:
            lines.append(_ship_line(number, _object(entry, "orderLineStatus")))
    return Shipment(tuple(lines), mode == "PARTIAL_UPDATE")


def _ship_line(number: str, entry: dict[str, Any]) -> ShipLine:
    if entry.get("status") != "Shipped":
        raise _bad_content("status", "status must be Shipped")
    quantity = _object(entry.get("statusQuantity"), "statusQuantity")
    if quantity.get("unitOfMeasurement", "EACH") not in ("EACH", "EA"):
        raise _bad_content("unitOfMeasurement", "unitOfMeasurement must be EACH")
    amount = _count(quantity.get("amount"), "statusQuantity.amount")
    if amount < 1:
        raise _bad_content("statusQuantity.amount", "statusQuantity.amount must be at least 1")
    return ShipLine(number, amount, _tracking(_object(entry.get("trackingInfo"), "trackingInfo")))


def _tracking(info: dict[str, Any]) -> Tracking:
    carrier = _object(info.get("carrierName"), "carrierName")
    known, other = carrier.get("carrier"), carrier.get("otherCarrier")
    if known is None and other is None:
        raise _bad_content("carrierName", "carrierName needs carrier or otherCarrier")
    method = info.get("methodCode")
    if method not in METHOD_CODES:
        raise _bad_content("methodCode", f"methodCode must be one of {', '.join(METHOD_CODES)}")
    url = info.get("trackingURL")
    return Tracking(
        ship_ms=ship_date_ms(info.get("shipDateTime")),
        carrier=None if known is None else _text(known, "carrier", limit=100),
        other_carrier=None if other is None else _text(other, "otherCarrier", limit=100),
        method_code=method,
        number=_text(info.get("trackingNumber"), "trackingNumber", limit=100),
        url=None if url is None else _text(url, "trackingURL", limit=2000),
    )


def ship_date_ms(value: Any) -> int:
    """`shipDateTime`: epoch milliseconds, or an ISO 8601 string (which must then be UTC)."""
    if isinstance(value, str):
        try:
            return parse_instant(value, "shipDateTime")
        except Refusal as refusal:
            raise _bad_content("shipDateTime", refusal.description) from None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_EPOCH_MS:
        raise _bad_content("shipDateTime", "shipDateTime must be epoch milliseconds (UTC)")
    return value


def parse_inventory(body: Any, sku: str) -> int:
    """The new amount of `{"sku": ..., "quantity": {"unit": "EACH", "amount": N}}`."""
    data = _object(body, "body")
    if data.get("sku") != sku:
        raise _bad_content("sku", "sku in the body must equal the sku query parameter")
    quantity = _object(data.get("quantity"), "quantity")
    if quantity.get("unit") != "EACH":
        raise _bad_content("quantity.unit", "quantity.unit must be EACH")
    return _count(quantity.get("amount"), "quantity.amount")
