"""The stores' data: what two development stores hold, as plain dataclasses, and the seed.

Identifiers are 64-bit integers as Shopify's are, drawn from one counter per resource
type (they are global on Shopify, not per store). Money is `Decimal`, rendered as strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from clawcheck.platforms.shopify.query import PageToken

__all__ = [
    "SHOP_DOMAINS",
    "Address",
    "Fulfillment",
    "FulfillmentOrder",
    "FulfillmentOrderLine",
    "Grant",
    "LineItem",
    "Location",
    "Order",
    "Product",
    "Shop",
    "ShopifyState",
    "Variant",
    "seed_state",
]

SHOP_DOMAINS = ("clawcheck-dev.myshopify.com", "clawcheck-test.myshopify.com")
CENT = Decimal("0.01")
HOUR = 3600.0


@dataclass
class Address:
    first_name: str
    last_name: str
    address1: str
    city: str
    province: str | None
    province_code: str | None
    country: str
    country_code: str
    zip: str
    phone: str | None = None
    company: str | None = None
    address2: str = ""


@dataclass
class Location:
    id: int
    name: str
    address1: str
    city: str
    province: str | None
    province_code: str | None
    zip: str
    country_code: str
    country_name: str
    created_at: float


@dataclass
class Variant:
    id: int
    product_id: int
    inventory_item_id: int
    title: str
    sku: str
    price: Decimal
    grams: int
    tracked: bool  # inventory_management "shopify"; untracked items cannot have levels set
    position: int
    created_at: float
    updated_at: float


@dataclass
class Product:
    id: int
    title: str
    handle: str
    vendor: str
    product_type: str
    variants: list[Variant]
    created_at: float
    updated_at: float


@dataclass
class LineItem:
    id: int
    variant: Variant
    product: Product
    quantity: int
    fulfilled: int = 0

    @property
    def remaining(self) -> int:
        return self.quantity - self.fulfilled


@dataclass
class FulfillmentOrderLine:
    id: int
    line_item: LineItem
    quantity: int
    remaining: int


@dataclass
class FulfillmentOrder:
    id: int
    location: Location
    lines: list[FulfillmentOrderLine]
    created_at: float
    updated_at: float
    cancelled: bool = False

    @property
    def status(self) -> str:
        if self.cancelled:
            return "cancelled"
        if all(line.remaining == 0 for line in self.lines):
            return "closed"
        if any(line.remaining < line.quantity for line in self.lines):
            return "in_progress"
        return "open"


@dataclass
class Fulfillment:
    id: int
    name: str
    location: Location
    lines: list[tuple[LineItem, int]]
    tracking_company: str | None
    tracking_number: str | None
    tracking_url: str | None
    created_at: float


FinancialStatus = Literal[
    "pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", "voided"
]


@dataclass
class Order:
    id: int
    number: int
    email: str
    customer_id: int
    address: Address
    line_items: list[LineItem]
    shipping_title: str
    shipping_price: Decimal
    financial_status: FinancialStatus
    created_at: float
    updated_at: float
    fulfillment_orders: list[FulfillmentOrder] = field(default_factory=list)
    fulfillments: list[Fulfillment] = field(default_factory=list)
    closed_at: float | None = None
    cancelled_at: float | None = None
    cancel_reason: str | None = None
    tags: str = ""
    note: str | None = None

    @property
    def name(self) -> str:
        return f"#{self.number}"

    @property
    def fulfillment_status(self) -> str | None:
        done = sum(line.fulfilled for line in self.line_items)
        if done == 0:
            return None
        return "fulfilled" if all(line.remaining == 0 for line in self.line_items) else "partial"


@dataclass
class Shop:
    id: int
    domain: str
    name: str
    currency: str
    tax_rate: Decimal
    taxes_included: bool
    locations: list[Location] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    # (inventory_item_id, location_id) -> (available, updated_at)
    levels: dict[tuple[int, int], tuple[int, float]] = field(default_factory=dict)
    next_order_number: int = 1001

    def variants(self) -> Iterator[Variant]:
        for product in self.products:
            yield from product.variants

    def order(self, order_id: int) -> Order | None:
        return next((o for o in self.orders if o.id == order_id), None)

    def location(self, location_id: int) -> Location | None:
        return next((loc for loc in self.locations if loc.id == location_id), None)

    def variant_by_item(self, inventory_item_id: int) -> Variant | None:
        return next((v for v in self.variants() if v.inventory_item_id == inventory_item_id), None)


@dataclass
class Grant:
    """One refresh token: its store, its expiry, and the access token it was last exchanged for.

    Shopify keeps a used refresh token valid until the app starts using its replacement
    (changelog 2026-08-28), so the grant dies only when `successor` is first seen.
    """

    shop: str
    expires_at: float | None
    successor: str | None = None  # access token issued for it, not yet used
    successor_refresh: str | None = None


@dataclass
class ShopifyState:
    shops: dict[str, Shop]
    ids: dict[str, int]
    access: dict[str, str] = field(default_factory=dict)  # shop domain -> seeded access token
    refresh: dict[str, str] = field(default_factory=dict)  # shop domain -> seeded refresh token
    codes: dict[str, str] = field(default_factory=dict)  # authorization code -> shop domain
    grants: dict[str, Grant] = field(default_factory=dict)  # refresh token -> grant
    pages: dict[str, PageToken] = field(default_factory=dict)  # page_info -> what it stands for
    notifying: str = SHOP_DOMAINS[0]  # the shop whose notification is being signed

    def next_id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def find_fulfillment_order(
        self, shop: Shop, fulfillment_order_id: int
    ) -> tuple[Order, FulfillmentOrder] | None:
        for order in shop.orders:
            for fulfillment_order in order.fulfillment_orders:
                if fulfillment_order.id == fulfillment_order_id:
                    return order, fulfillment_order
        return None


# -- the seed ----------------------------------------------------------------------------

_FIRST_IDS = {
    "shop": 60_000_000_000,
    "location": 71_000_000_000,
    "product": 80_000_000_000,
    "variant": 44_000_000_000,
    "inventory_item": 46_000_000_000,
    "customer": 7_000_000_000_000,
    "order": 5_800_000_000_000,
    "line_item": 14_000_000_000_000,
    "fulfillment_order": 6_100_000_000_000,
    "fulfillment_order_line": 15_000_000_000_000,
    "fulfillment": 5_000_000_000_000,
}

# title, vendor, type, [(variant title, sku, price, grams, tracked)], stock per location index
_DEV_PRODUCTS = [
    (
        "Trail Runner Sneaker",
        "Northpeak",
        "Shoes",
        [("US 9", "TRS-09", "89.00", 820), ("US 10", "TRS-10", "89.00", 840)],
    ),
    ("Merino Wool Socks", "Northpeak", "Socks", [("L", "MWS-L", "18.50", 90)]),
    ("Canvas Tote", "Harbor & Co", "Bags", [("Natural", "CT-NAT", "24.00", 300)]),
    ("Gift Card", "Northpeak", "Gift Cards", [("$25", "GIFT-25", "25.00", 0)]),
]
_TEST_PRODUCTS = [
    ("Espresso Cup Set", "Kaffeehaus", "Kitchen", [("2 pieces", "ECS-2", "29.90", 450)]),
    ("Linen Napkins", "Kaffeehaus", "Kitchen", [("Set of 4", "LN-4", "19.00", 200)]),
]
_UNTRACKED = {"GIFT-25"}
_STOCK = {
    "TRS-09": (14, 6),
    "TRS-10": (9, 4),
    "MWS-L": (120,),
    "CT-NAT": (35,),
    "ECS-2": (40,),
    "LN-4": (75,),
}

_US_BUYERS = [
    Address(
        "Ava",
        "Martinez",
        "1420 Sunset Blvd",
        "Los Angeles",
        "California",
        "CA",
        "United States",
        "US",
        "90026",
    ),
    Address("Noah", "Kim", "88 Pike St", "Seattle", "Washington", "WA", "United States", "US", "98101"),
    Address(
        "Mia", "Dubois", "240 Rue Sainte-Catherine", "Montreal", "Quebec", "QC", "Canada", "CA", "H2X 1L4"
    ),
    Address(
        "Liam", "O'Brien", "15 Beacon St", "Boston", "Massachusetts", "MA", "United States", "US", "02108"
    ),
]
_EU_BUYERS = [
    Address("Lena", "Vogel", "Torstraße 12", "Berlin", None, None, "Germany", "DE", "10119"),
    Address("Jonas", "Meyer", "Sendlinger Str. 7", "München", None, None, "Germany", "DE", "80331"),
]


def seed_state(now: float) -> ShopifyState:
    """Two development stores with products, stock and orders in every fulfilment state."""
    state = ShopifyState(shops={}, ids=dict(_FIRST_IDS))
    base = float(int(now)) - 48 * HOUR
    dev = _shop(state, SHOP_DOMAINS[0], "Clawcheck Dev Outfitters", "USD", Decimal("0.08"), False)
    test = _shop(state, SHOP_DOMAINS[1], "Clawcheck Test Küche", "EUR", Decimal("0.19"), True)
    _location(
        state, dev, "Main Warehouse", "2100 E 7th St", "Los Angeles", "California", "CA", "90021", "US", base
    )
    _location(
        state, dev, "East Coast 3PL", "400 Delancy St", "Newark", "New Jersey", "NJ", "07105", "US", base
    )
    _location(state, test, "Lager Berlin", "Storkower Str. 140", "Berlin", None, None, "10407", "DE", base)
    _catalogue(state, dev, _DEV_PRODUCTS, base)
    _catalogue(state, test, _TEST_PRODUCTS, base)
    # (buyer, [(sku, quantity)], financial status, hours after base, fulfilled?, closed?, cancelled?)
    dev_orders = [
        (0, [("TRS-09", 1), ("MWS-L", 2)], "paid", 2, "none", False, False),
        (1, [("CT-NAT", 1), ("MWS-L", 1)], "paid", 6, "partial", False, False),
        (3, [("TRS-10", 1)], "paid", 10, "all", False, False),
        (0, [("CT-NAT", 2)], "pending", 20, "none", False, False),
        (2, [("TRS-10", 1), ("MWS-L", 3)], "paid", 30, "none", False, False),
        (1, [("MWS-L", 1)], "refunded", 36, "none", True, True),
        (3, [("TRS-09", 1)], "paid", 40, "all", True, False),
    ]
    test_orders = [
        (0, [("ECS-2", 1), ("LN-4", 1)], "paid", 4, "none", False, False),
        (1, [("LN-4", 2)], "paid", 12, "all", False, False),
        (0, [("ECS-2", 2)], "authorized", 26, "none", False, False),
    ]
    for shop, buyers, plan in ((dev, _US_BUYERS, dev_orders), (test, _EU_BUYERS, test_orders)):
        for buyer, lines, financial, hours, fulfilled, closed, cancelled in plan:
            order = new_order(state, shop, buyers[buyer], lines, financial, base + hours * HOUR)  # type: ignore[arg-type]
            _settle(state, shop, order, fulfilled, closed, cancelled)
    return state


def _shop(state: ShopifyState, domain: str, name: str, currency: str, rate: Decimal, included: bool) -> Shop:
    shop = Shop(state.next_id("shop"), domain, name, currency, rate, included)
    state.shops[domain] = shop
    return shop


def _location(
    state: ShopifyState,
    shop: Shop,
    name: str,
    street: str,
    city: str,
    province: str | None,
    code: str | None,
    zip_code: str,
    country: str,
    at: float,
) -> None:
    country_name = {"US": "United States", "DE": "Germany"}[country]
    loc = Location(
        state.next_id("location"), name, street, city, province, code, zip_code, country, country_name, at
    )
    shop.locations.append(loc)


def _catalogue(
    state: ShopifyState,
    shop: Shop,
    products: list[tuple[str, str, str, list[tuple[str, str, str, int]]]],
    at: float,
) -> None:
    for title, vendor, kind, variants in products:
        product = Product(
            state.next_id("product"), title, title.lower().replace(" ", "-"), vendor, kind, [], at, at
        )
        for position, (variant_title, sku, price, grams) in enumerate(variants, start=1):
            variant = Variant(
                state.next_id("variant"),
                product.id,
                state.next_id("inventory_item"),
                variant_title,
                sku,
                Decimal(price),
                grams,
                sku not in _UNTRACKED,
                position,
                at,
                at,
            )
            product.variants.append(variant)
            for location, available in zip(shop.locations, _STOCK.get(sku, ()), strict=False):
                shop.levels[(variant.inventory_item_id, location.id)] = (available, at)
        shop.products.append(product)


def new_order(
    state: ShopifyState,
    shop: Shop,
    buyer: Address,
    lines: list[tuple[str, int]],
    financial: FinancialStatus,
    at: float,
) -> Order:
    """A new open order with one fulfillment order at the shop's first location."""
    by_sku = {v.sku: (p, v) for p in shop.products for v in p.variants}
    items = [
        LineItem(state.next_id("line_item"), by_sku[sku][1], by_sku[sku][0], quantity)
        for sku, quantity in lines
    ]
    email = f"{buyer.first_name.lower()}.{buyer.last_name.lower().replace(chr(39), '')}@example.com"
    shipping = Decimal("0.00") if shop.currency == "EUR" else Decimal("7.95")
    order = Order(
        id=state.next_id("order"),
        number=shop.next_order_number,
        email=email,
        customer_id=state.next_id("customer"),
        address=buyer,
        line_items=items,
        shipping_title="Standard" if shipping else "Kostenloser Versand",
        shipping_price=shipping,
        financial_status=financial,
        created_at=at,
        updated_at=at,
    )
    shop.next_order_number += 1
    fo_lines = [
        FulfillmentOrderLine(state.next_id("fulfillment_order_line"), item, item.quantity, item.quantity)
        for item in items
    ]
    order.fulfillment_orders.append(
        FulfillmentOrder(state.next_id("fulfillment_order"), shop.locations[0], fo_lines, at, at)
    )
    shop.orders.append(order)
    return order


def fulfil(
    state: ShopifyState,
    order: Order,
    picks: list[tuple[FulfillmentOrder, FulfillmentOrderLine, int]],
    tracking: tuple[str | None, str | None, str | None],
    at: float,
) -> Fulfillment:
    """Record a fulfillment of `picks` (already validated): quantities move from open to done."""
    for fulfillment_order, line, quantity in picks:
        line.remaining -= quantity
        line.line_item.fulfilled += quantity
        fulfillment_order.updated_at = at
    company, number, url = tracking
    fulfillment = Fulfillment(
        state.next_id("fulfillment"),
        f"{order.name}.{len(order.fulfillments) + 1}",
        picks[0][0].location,
        [(line.line_item, quantity) for _, line, quantity in picks],
        company,
        number,
        url,
        at,
    )
    order.fulfillments.append(fulfillment)
    order.updated_at = at
    return fulfillment


def _settle(
    state: ShopifyState, shop: Shop, order: Order, fulfilled: str, closed: bool, cancelled: bool
) -> None:
    at = order.created_at + HOUR
    fulfillment_order = order.fulfillment_orders[0]
    if fulfilled != "none":
        lines = fulfillment_order.lines if fulfilled == "all" else fulfillment_order.lines[:1]
        number = f"1Z999AA1{order.number:010d}"
        url = f"https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums={number}"
        fulfil(
            state,
            order,
            [(fulfillment_order, line, line.remaining) for line in lines],
            ("UPS", number, url),
            at,
        )
    if cancelled:
        order.cancelled_at, order.cancel_reason = at, "customer"
        fulfillment_order.cancelled = True
    if closed:
        order.closed_at = at + HOUR
    order.updated_at = max(order.updated_at, order.closed_at or at)
