"""The mock's world: sellers, their orders and listings, and how SP-API renders them as JSON.

Everything is plain dataclasses; the seed is deterministic (fixed ids) with timestamps
relative to the platform clock, so "orders of the last 30 days" always finds them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "MARKETPLACES",
    "AmazonState",
    "Listing",
    "Marketplace",
    "Order",
    "OrderItem",
    "OrderQuery",
    "Seller",
    "iso",
    "seed_state",
]

HOUR = 3600.0
DAY = 24 * HOUR


@dataclass(frozen=True, slots=True)
class Marketplace:
    id: str
    region: str  # "na" or "eu": which SP-API endpoint serves it
    country: str
    currency: str
    sales_channel: str


MARKETPLACES = {
    m.id: m
    for m in (
        Marketplace("ATVPDKIKX0DER", "na", "US", "USD", "Amazon.com"),
        Marketplace("A2EUQ1WTGCTBG2", "na", "CA", "CAD", "Amazon.ca"),
        Marketplace("A1AM78C64UM0Y8", "na", "MX", "MXN", "Amazon.com.mx"),
        Marketplace("A1PA6795UKMFR9", "eu", "DE", "EUR", "Amazon.de"),
        Marketplace("A1F83G8C2ARO7P", "eu", "GB", "GBP", "Amazon.co.uk"),
        Marketplace("A13V1IB3VIYZZH", "eu", "FR", "EUR", "Amazon.fr"),
    )
}


def iso(moment: float) -> str:
    """SP-API's date-time form: ISO 8601 in UTC, whole seconds, `Z`."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Seller:
    id: str  # the merchant token, also the rate-limit "shop"
    name: str
    region: str
    marketplaces: tuple[str, ...]
    refresh_token: str
    access_token: str = ""  # the one issued at seed time (contract tests, authorize())


@dataclass
class OrderItem:
    id: str
    sku: str
    asin: str
    title: str
    quantity: int
    unit_price: str
    shipped: int = 0

    @property
    def unshipped(self) -> int:
        return self.quantity - self.shipped


@dataclass
class Package:
    reference: str
    carrier: str
    tracking: str
    ship_date: str
    items: tuple[tuple[str, int], ...]


@dataclass
class Order:
    id: str
    seller: str
    marketplace: str
    status: str
    channel: str  # MFN (seller-fulfilled) or AFN (FBA)
    purchased: float
    updated: float
    items: list[OrderItem]
    city: str
    state: str
    postal_code: str
    prime: bool = False
    packages: list[Package] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return MARKETPLACES[self.marketplace].currency

    def total(self) -> str:
        cents = sum(round(float(i.unit_price) * 100) * i.quantity for i in self.items)
        return f"{cents / 100:.2f}"

    def to_json(self) -> dict[str, Any]:
        market = MARKETPLACES[self.marketplace]
        shipped = sum(i.shipped for i in self.items)
        data: dict[str, Any] = {
            "AmazonOrderId": self.id,
            "PurchaseDate": iso(self.purchased),
            "LastUpdateDate": iso(self.updated),
            "OrderStatus": self.status,
            "FulfillmentChannel": self.channel,
            "SalesChannel": market.sales_channel,
            "ShipServiceLevel": "Std US D2D Dom" if market.region == "na" else "Std DE Dom",
            "NumberOfItemsShipped": shipped,
            "NumberOfItemsUnshipped": sum(i.quantity for i in self.items) - shipped,
            "PaymentMethod": "Other",
            "PaymentMethodDetails": ["Standard"],
            "MarketplaceId": self.marketplace,
            "ShipmentServiceLevelCategory": "Standard",
            "OrderType": "StandardOrder",
            "EarliestShipDate": iso(self.purchased + DAY),
            "LatestShipDate": iso(self.purchased + 3 * DAY),
            "IsBusinessOrder": False,
            "IsPrime": self.prime,
            "IsPremiumOrder": False,
            "IsGlobalExpressEnabled": False,
            "IsReplacementOrder": False,
            "IsSoldByAB": False,
            "IsISPU": False,
            "IsAccessPointOrder": False,
        }
        if self.status != "Pending":  # no price before payment is authorised
            data["OrderTotal"] = {"CurrencyCode": self.currency, "Amount": self.total()}
        if self.status in ("Unshipped", "PartiallyShipped", "Shipped"):
            # Without a Restricted Data Token only the non-PII address fields come back.
            data["ShippingAddress"] = {
                "City": self.city,
                "StateOrRegion": self.state,
                "PostalCode": self.postal_code,
                "CountryCode": market.country,
            }
        return data

    def item_json(self, item: OrderItem) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ASIN": item.asin,
            "SellerSKU": item.sku,
            "OrderItemId": item.id,
            "Title": item.title,
            "QuantityOrdered": item.quantity,
            "QuantityShipped": item.shipped,
            "IsGift": "false",
            "ConditionId": "New",
            "ConditionSubtypeId": "New",
            "IsTransparency": False,
            "SerialNumberRequired": False,
        }
        if self.status != "Pending":
            cents = round(float(item.unit_price) * 100) * item.quantity
            data["ItemPrice"] = {"CurrencyCode": self.currency, "Amount": f"{cents / 100:.2f}"}
            data["ItemTax"] = {"CurrencyCode": self.currency, "Amount": "0.00"}
            data["PromotionDiscount"] = {"CurrencyCode": self.currency, "Amount": "0.00"}
        return data


@dataclass
class Listing:
    seller: str
    sku: str
    asin: str
    product_type: str
    marketplace: str
    name: str
    price: str
    created: float
    updated: float
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def quantity(self) -> int | None:
        for entry in self.attributes.get("fulfillment_availability") or []:
            if isinstance(entry, dict) and entry.get("fulfillment_channel_code") == "DEFAULT":
                value = entry.get("quantity")
                return value if isinstance(value, int) else None
        return None

    def set_quantity(self, quantity: int) -> None:
        self.attributes["fulfillment_availability"] = [
            {"fulfillment_channel_code": "DEFAULT", "quantity": quantity}
        ]

    def to_json(self, included: frozenset[str]) -> dict[str, Any]:
        data: dict[str, Any] = {"sku": self.sku}
        currency = MARKETPLACES[self.marketplace].currency
        if "summaries" in included:
            data["summaries"] = [
                {
                    "marketplaceId": self.marketplace,
                    "asin": self.asin,
                    "productType": self.product_type,
                    "conditionType": "new_new",
                    "status": ["BUYABLE", "DISCOVERABLE"] if self.quantity else ["DISCOVERABLE"],
                    "itemName": self.name,
                    "createdDate": iso(self.created),
                    "lastUpdatedDate": iso(self.updated),
                }
            ]
        if "attributes" in included:
            data["attributes"] = self.attributes
        if "issues" in included:
            data["issues"] = []
        if "offers" in included:
            data["offers"] = [
                {
                    "marketplaceId": self.marketplace,
                    "offerType": "B2C",
                    "price": {"currencyCode": currency, "amount": self.price},
                }
            ]
        if "fulfillmentAvailability" in included:
            quantity = self.quantity
            data["fulfillmentAvailability"] = [
                {"fulfillmentChannelCode": "DEFAULT", **({} if quantity is None else {"quantity": quantity})}
            ]
        return data


@dataclass(frozen=True, slots=True)
class OrderQuery:
    """The criteria of a getOrders request; a NextToken stands for the query that made it."""

    seller: str
    marketplaces: tuple[str, ...]
    created_after: float | None = None
    created_before: float | None = None
    updated_after: float | None = None
    updated_before: float | None = None
    statuses: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    order_ids: frozenset[str] = frozenset()
    page_size: int = 100

    def matches(self, order: Order) -> bool:
        checks = (
            order.seller == self.seller,
            order.marketplace in self.marketplaces,
            self.created_after is None or order.purchased >= self.created_after,
            self.created_before is None or order.purchased <= self.created_before,
            self.updated_after is None or order.updated >= self.updated_after,
            self.updated_before is None or order.updated <= self.updated_before,
            not self.statuses or order.status in self.statuses,
            not self.channels or order.channel in self.channels,
            not self.order_ids or order.id in self.order_ids,
        )
        return all(checks)


@dataclass
class AmazonState:
    client_id: str
    client_secret: str
    sellers: dict[str, Seller]
    orders: dict[str, Order]
    listings: dict[tuple[str, str], Listing]  # (seller, sku)
    queries: dict[str, OrderQuery] = field(default_factory=dict)  # NextToken -> query
    item_pages: dict[str, str] = field(default_factory=dict)  # getOrderItems NextToken -> order id
    serial: int = 0

    def seller_by_refresh(self, refresh_token: str) -> Seller | None:
        for seller in self.sellers.values():
            if secrets.compare_digest(seller.refresh_token, refresh_token):
                return seller
        return None

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial


# -- the seed --------------------------------------------------------------------------

_SELLERS = (
    ("A2Q8VY7RM1XJ6N", "Northwind Outfitters", "na", ("ATVPDKIKX0DER",)),
    ("A1T4LNCS3XZ9PB", "Maple Leaf Home", "na", ("ATVPDKIKX0DER", "A2EUQ1WTGCTBG2")),
    ("A3K7FJ2W9QZ8RD", "Rheinwerk Handel", "eu", ("A1PA6795UKMFR9",)),
)

# seller index, sku, asin, product type, title, price, quantity
_LISTINGS = (
    (0, "NW-TENT-2P", "B0C4XK2Q7R", "TENT", "Northwind 2-Person Backpacking Tent", "189.99", 40),
    (0, "NW-BOTTLE-1L", "B0B7HN3J5M", "BOTTLE", "Northwind Insulated Bottle 1 L", "24.50", 250),
    (0, "NW-LAMP-USB", "B09XQ4T8LM", "LAMP", "Northwind USB Camp Lantern", "32.00", 0),
    (1, "ML-THROW-GRY", "B0D1R6W2PC", "BLANKET", "Maple Leaf Wool Throw, Grey", "79.00", 18),
    (1, "ML-MUG-SET4", "B0CC8V1KZT", "DRINKING_CUP", "Maple Leaf Stoneware Mugs, Set of 4", "36.95", 64),
    (2, "RW-KNIFE-20", "B0BWZ5P3QF", "KITCHEN_KNIFE", "Rheinwerk Kochmesser 20 cm", "59.90", 25),
)

# seller index, order id, status, channel, hours ago, [(sku, quantity, shipped)], city, state, zip, prime
_ORDERS: tuple[
    tuple[int, str, str, str, float, tuple[tuple[str, int, int], ...], str, str, str, bool], ...
] = (
    (
        0,
        "113-4829316-7720215",
        "Unshipped",
        "MFN",
        200,
        (("NW-TENT-2P", 1, 0), ("NW-BOTTLE-1L", 2, 0)),
        "Portland",
        "OR",
        "97205",
        False,
    ),
    (
        0,
        "114-2093847-1160231",
        "Shipped",
        "MFN",
        180,
        (("NW-BOTTLE-1L", 1, 1),),
        "Austin",
        "TX",
        "78701",
        True,
    ),
    (
        0,
        "111-7734012-5583044",
        "Unshipped",
        "MFN",
        150,
        (("NW-BOTTLE-1L", 3, 0),),
        "Denver",
        "CO",
        "80202",
        False,
    ),
    (0, "112-5518829-3349016", "Pending", "MFN", 120, (("NW-TENT-2P", 1, 0),), "Boise", "ID", "83702", False),
    (0, "113-9902741-0021877", "Canceled", "MFN", 96, (("NW-LAMP-USB", 1, 0),), "Reno", "NV", "89501", False),
    (0, "114-6650193-8842615", "Shipped", "AFN", 72, (("NW-TENT-2P", 1, 1),), "Seattle", "WA", "98101", True),
    (
        0,
        "111-3087765-4419302",
        "PartiallyShipped",
        "MFN",
        48,
        (("NW-TENT-2P", 1, 1), ("NW-BOTTLE-1L", 1, 0)),
        "Madison",
        "WI",
        "53703",
        False,
    ),
    (
        0,
        "112-8126634-6675190",
        "Unshipped",
        "MFN",
        20,
        (("NW-BOTTLE-1L", 1, 0),),
        "Tucson",
        "AZ",
        "85701",
        True,
    ),
    (
        1,
        "701-2284519-3376402",
        "Unshipped",
        "MFN",
        160,
        (("ML-THROW-GRY", 1, 0),),
        "Toronto",
        "ON",
        "M5V 2T6",
        False,
    ),
    (
        1,
        "113-0047731-9918254",
        "Shipped",
        "MFN",
        110,
        (("ML-MUG-SET4", 2, 2),),
        "Buffalo",
        "NY",
        "14202",
        False,
    ),
    (
        1,
        "114-7719026-2207733",
        "Unshipped",
        "MFN",
        30,
        (("ML-MUG-SET4", 1, 0),),
        "Albany",
        "NY",
        "12207",
        False,
    ),
    (
        1,
        "702-6603318-5540197",
        "Pending",
        "MFN",
        5,
        (("ML-THROW-GRY", 1, 0),),
        "Ottawa",
        "ON",
        "K1P 1J1",
        False,
    ),
    (
        2,
        "302-8840215-6612093",
        "Unshipped",
        "MFN",
        140,
        (("RW-KNIFE-20", 1, 0),),
        "Köln",
        "NW",
        "50667",
        False,
    ),
    (
        2,
        "305-1197462-0348851",
        "Shipped",
        "MFN",
        90,
        (("RW-KNIFE-20", 2, 2),),
        "München",
        "BY",
        "80331",
        True,
    ),
    (
        2,
        "304-5523980-7761426",
        "Unshipped",
        "AFN",
        12,
        (("RW-KNIFE-20", 1, 0),),
        "Hamburg",
        "HH",
        "20095",
        False,
    ),
)


def _refresh_token() -> str:
    return "Atzr|IwEB" + secrets.token_urlsafe(96)


def seed_state(now: float) -> AmazonState:
    sellers = {
        sid: Seller(sid, name, region, markets, _refresh_token()) for sid, name, region, markets in _SELLERS
    }
    ids = [s[0] for s in _SELLERS]
    listings: dict[tuple[str, str], Listing] = {}
    for index, sku, asin, ptype, title, price, quantity in _LISTINGS:
        seller = sellers[ids[index]]
        listing = Listing(
            seller.id, sku, asin, ptype, seller.marketplaces[0], title, price, now - 400 * DAY, now - 30 * DAY
        )
        listing.attributes["item_name"] = [{"value": title, "marketplace_id": listing.marketplace}]
        listing.set_quantity(quantity)
        listings[(seller.id, sku)] = listing
    orders: dict[str, Order] = {}
    for n, (index, oid, status, channel, hours, lines, city, state, postal, prime) in enumerate(_ORDERS):
        seller = sellers[ids[index]]
        market = "A2EUQ1WTGCTBG2" if oid.startswith("70") else seller.marketplaces[0]
        items = [
            OrderItem(
                f"{48291736501200 + 37 * n + k:014d}",
                sku,
                listings[(seller.id, sku)].asin,
                listings[(seller.id, sku)].name,
                quantity,
                listings[(seller.id, sku)].price,
                shipped,
            )
            for k, (sku, quantity, shipped) in enumerate(lines)
        ]
        purchased = now - hours * HOUR
        updated = purchased + (2 * HOUR if status != "Pending" else 60.0)
        orders[oid] = Order(
            oid, seller.id, market, status, channel, purchased, updated, items, city, state, postal, prime
        )
    return AmazonState(
        client_id="amzn1.application-oa2-client." + secrets.token_hex(16),
        client_secret="amzn1.oa2-cs.v1." + secrets.token_hex(32),
        sellers=sellers,
        orders=orders,
        listings=listings,
    )
