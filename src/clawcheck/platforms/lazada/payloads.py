"""Parsing the structured parameters Lazada takes: XML `payload`, JSON `packReq` and friends.

Everything here refuses garbage with `PayloadError` and never lets a parser exception out.
XML is parsed by the standard library with the entity-expansion attacks shut out first: a
payload with a DOCTYPE (where entities and external references live) is refused unread.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_PAYLOAD",
    "PayloadError",
    "SkuUpdate",
    "as_id",
    "parse_json_object",
    "parse_sku_payload",
]

MAX_PAYLOAD = 512 * 1024
_MAX_ID = 2**63 - 1
_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class PayloadError(ValueError):
    """The parameter is not in the format the API documents."""


@dataclass(frozen=True, slots=True)
class SkuUpdate:
    """One `<Sku>` of an UpdatePriceQuantity / UpdateSellableQuantity payload, as sent."""

    item_id: str | None
    sku_id: str | None
    seller_sku: str | None
    quantity: str | None  # <Quantity>: total stock (UpdatePriceQuantity)
    sellable: str | None  # <SellableQuantity> (UpdateSellableQuantity)
    price: str | None
    sale_price: str | None
    warehouses: tuple[tuple[str, str | None], ...] = ()  # (WarehouseCode, quantity) per warehouse

    @property
    def label(self) -> str:
        return self.seller_sku or self.sku_id or ""


def as_id(value: Any) -> int | None:
    """A Lazada id (order, item, SKU): a positive 64-bit integer, as a number or digit string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= _MAX_ID else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
        return number if 0 < number <= _MAX_ID else None
    return None


def parse_json_object(text: str | None) -> dict[str, Any]:
    if not text or len(text) > MAX_PAYLOAD:
        raise PayloadError("empty or oversized")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise PayloadError("not JSON") from None
    if not isinstance(data, dict):
        raise PayloadError("not a JSON object")
    return data


def parse_sku_payload(text: str | None) -> list[SkuUpdate]:
    """The `<Sku>` elements of `<Request><Product><Skus>`; `PayloadError` for anything else."""
    if not text or len(text) > MAX_PAYLOAD:
        raise PayloadError("empty or oversized payload")
    if _DOCTYPE.search(text):
        raise PayloadError("DOCTYPE and ENTITY declarations are not accepted")
    try:
        root = ET.fromstring(text)
    except (ET.ParseError, ValueError, UnicodeError, RecursionError):
        raise PayloadError("not well-formed XML") from None
    skus = root.find("./Product/Skus") if root.tag == "Request" else None
    if skus is None:
        raise PayloadError("expected <Request><Product><Skus>")
    return [_sku(element) for element in skus.findall("Sku")]


def _sku(element: ET.Element) -> SkuUpdate:
    warehouses = tuple(
        (_text(w, "WarehouseCode") or "", _text(w, "Quantity") or _text(w, "SellableQuantity"))
        for w in element.findall("./MultiWarehouseInventories/MultiWarehouseInventory")
    )
    return SkuUpdate(
        item_id=_text(element, "ItemId"),
        sku_id=_text(element, "SkuId"),
        seller_sku=_text(element, "SellerSku"),
        quantity=_text(element, "Quantity"),
        sellable=_text(element, "SellableQuantity"),
        price=_text(element, "Price"),
        sale_price=_text(element, "SalePrice"),
        warehouses=warehouses,
    )


def _text(element: ET.Element, tag: str) -> str | None:
    child = element.find(tag)
    if child is None or child.text is None:
        return None
    value = child.text.strip()
    return value or None
