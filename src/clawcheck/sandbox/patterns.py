"""Field patterns of the spec, compiled once. ASCII-only, as ECMA-262 `\\d` is."""

from __future__ import annotations

import re

__all__ = [
    "COUNTRY",
    "CURRENCY",
    "EMAIL",
    "ORDER_ID",
    "PLATFORMS",
    "RESERVATION_ID",
    "SKU",
    "TRACKING",
    "URL",
    "WAREHOUSE",
]

SKU = re.compile(r"[A-Za-z0-9._-]{1,64}", re.ASCII)
WAREHOUSE = re.compile(r"[A-Z0-9-]{2,32}", re.ASCII)
CURRENCY = re.compile(r"[A-Z]{3}", re.ASCII)
COUNTRY = re.compile(r"[A-Z]{2}", re.ASCII)
# The WHATWG (HTML input type=email) syntax, as the spec's Buyer.email pattern.
EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*",
    re.ASCII,
)
ORDER_ID = re.compile(r"ord_[A-Za-z0-9]{1,40}", re.ASCII)
RESERVATION_ID = re.compile(r"rsv_[A-Za-z0-9]{1,40}", re.ASCII)
TRACKING = re.compile(r"[A-Za-z0-9-]{4,40}", re.ASCII)
URL = re.compile(r"https?://[A-Za-z0-9][A-Za-z0-9.-]*(?::[0-9]{1,5})?(?:/[\x21-\x7E]*)?", re.ASCII)

PLATFORMS = frozenset(
    {"amazon", "shopify", "walmart", "shopee", "lazada", "tiktok_shop", "temu", "coupang", "woocommerce"}
)
