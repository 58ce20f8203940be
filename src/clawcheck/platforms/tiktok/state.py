"""The TikTok Shop mock's data: sellers, their shops, products with per-warehouse stock, orders.

Two sellers: a cross-border seller with a UK and a US shop (one access token covers both;
`shop_cipher` picks one) and a local Malaysian seller with one shop. Ids have the shape of
TikTok's (18-19 digit strings); times are Unix seconds relative to the seed time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "APP_KEY",
    "APP_SECRET",
    "LineItem",
    "Order",
    "Product",
    "Seller",
    "Shop",
    "Sku",
    "TikTokState",
    "TrackingEvent",
    "build_state",
]

APP_KEY = "6a9xk2ctq7r1m"
APP_SECRET = "e59af819cc4b2d7f8a31c0d5e6b97f42a18c3d05"

# Shipping providers a seller-shipping package may name (Get Shipping Providers returns these ids).
PROVIDERS = {
    "6617675021119438849": "TT Virtual express",
    "7117858858072016686": "Royal Mail",
    "7117859084333745966": "USPS",
    "7129736293712914178": "J&T Express",
}
# The provider a shop of each market ships its own packages with.
SHOP_PROVIDERS = {"GB": "7117858858072016686", "US": "7117859084333745966", "MY": "7129736293712914178"}


@dataclass(frozen=True, slots=True)
class Seller:
    open_id: str
    name: str
    base_region: str


@dataclass(frozen=True, slots=True)
class Shop:
    id: str
    name: str
    region: str
    seller_type: str  # LOCAL or CROSS_BORDER
    cipher: str
    code: str
    seller: str  # open_id of the seller that owns it
    currency: str
    warehouses: tuple[str, ...]


@dataclass(slots=True)
class Sku:
    id: str
    seller_sku: str
    price: str
    inventory: dict[str, int]  # warehouse id -> available quantity


@dataclass(slots=True)
class Product:
    id: str
    shop: str
    title: str
    create_time: int
    update_time: int
    skus: list[Sku]
    status: str = "ACTIVATE"

    def sku(self, sku_id: str) -> Sku | None:
        return next((s for s in self.skus if s.id == sku_id), None)


@dataclass(frozen=True, slots=True)
class LineItem:
    id: str
    product: Product
    sku: Sku


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    description: str
    at_millis: int


@dataclass(slots=True)
class Order:
    id: str
    shop: str
    status: str
    create_time: int
    update_time: int
    buyer: str
    city_line: str
    postal_code: str
    package_id: str
    lines: list[LineItem]
    shipping_fee: str = "0.00"
    paid_time: int | None = None
    shipping_type: str = "SELLER"
    tracking_number: str = ""
    provider_id: str = ""
    rts_time: int | None = None
    events: list[TrackingEvent] = field(default_factory=list)

    def sub_total(self) -> Decimal:
        return sum((Decimal(line.sku.price) for line in self.lines), Decimal("0"))


@dataclass(slots=True)
class TikTokState:
    app_key: str
    app_secret: str
    sellers: dict[str, Seller]
    shops: dict[str, Shop]
    products: dict[str, Product]
    orders: dict[str, Order]
    auth_codes: dict[str, str] = field(default_factory=dict)  # unused code -> seller open_id
    access: dict[str, str] = field(default_factory=dict)  # seller open_id -> seeded access token
    refresh: dict[str, str] = field(default_factory=dict)
    expiries: dict[str, tuple[int, int]] = field(default_factory=dict)  # open_id -> (access, refresh) expiry
    serial: int = 0

    def shop_by_cipher(self, cipher: str) -> Shop | None:
        return next((s for s in self.shops.values() if s.cipher == cipher), None)

    def next_id(self, base: int) -> str:
        self.serial += 1
        return str(base + self.serial)


SELLERS = (
    Seller("7010736057180325637", "Lumen Home Goods", "CN"),
    Seller("7123409876543210987", "Kettle & Co", "MY"),
)
SHOPS = (
    Shop(
        "7494105515082810525",
        "Lumen Home UK",
        "GB",
        "CROSS_BORDER",
        "GCP_XF90igAAAABh00qsWgtvOiGFNqyubMt3",
        "GBLCTXQHN6",
        SELLERS[0].open_id,
        "GBP",
        ("7068517275539719942",),
    ),
    Shop(
        "7495836452019823461",
        "Lumen Home US",
        "US",
        "CROSS_BORDER",
        "TTP_Y2vW3QAAAAAd8nS0qQn1rH5sBvJ7Km4x",
        "USLC8Q2M7W",
        SELLERS[0].open_id,
        "USD",
        ("7159021384750928386", "7159021384750928387"),
    ),
    Shop(
        "7201837465019283700",
        "Kettle & Co MY",
        "MY",
        "LOCAL",
        "ROW_Mfxq0QAAAADY9jhQTMr4JXq4U19IpM5",
        "MYLCK3TT8P",
        SELLERS[1].open_id,
        "MYR",
        ("7201837465019283746",),
    ),
)


def _products(now: int) -> list[Product]:
    uk, us, my = (s.id for s in SHOPS)
    w_uk, (w_us1, w_us2), w_my = SHOPS[0].warehouses[0], SHOPS[1].warehouses, SHOPS[2].warehouses[0]
    week = 7 * 86400
    return [
        Product(
            "1729582718312380101",
            uk,
            "Linen Cushion Cover 45x45 cm",
            now - 9 * week,
            now - week,
            [
                Sku("1729582718312380201", "LCC-45-SAND", "12.99", {w_uk: 40}),
                Sku("1729582718312380202", "LCC-45-SAGE", "12.99", {w_uk: 25}),
            ],
        ),
        Product(
            "1729582718312380102",
            uk,
            "Ceramic Pour-Over Kettle 1 L",
            now - 8 * week,
            now - week,
            [
                Sku("1729582718312380203", "CPK-1L-WHT", "34.50", {w_uk: 12}),
            ],
        ),
        Product(
            "1729582718312380103",
            us,
            "Bamboo Desk Organizer, 3 Tier",
            now - 6 * week,
            now - 2 * week,
            [
                Sku("1729582718312380204", "BDO-3T-NAT", "24.99", {w_us1: 30, w_us2: 18}),
            ],
        ),
        Product(
            "1729582718312380104",
            us,
            "Stoneware Mug Set of 4",
            now - 5 * week,
            now - 2 * week,
            [
                Sku("1729582718312380205", "SMS-4-GRY", "29.00", {w_us1: 8, w_us2: 0}),
            ],
        ),
        Product(
            "1729582718312380105",
            my,
            "Rattan Storage Basket (M)",
            now - 4 * week,
            now - week,
            [
                Sku("1729582718312380206", "RSB-M-NAT", "59.90", {w_my: 15}),
            ],
        ),
    ]


# (shop index, status, hours ago, buyer, address, postcode, [(product index, sku index)], shipping fee)
_ORDERS = (
    (0, "AWAITING_SHIPMENT", 3, "Amelia Hart", "12 Wick Lane, Bristol", "BS1 4DJ", [(0, 0), (1, 0)], "2.99"),
    (0, "AWAITING_SHIPMENT", 7, "Oliver Grant", "4 Mill Road, Leeds", "LS2 7HZ", [(0, 1)], "2.99"),
    (0, "AWAITING_SHIPMENT", 20, "Isla Murray", "88 High Street, Oxford", "OX1 4AP", [(1, 0)], "0.00"),
    (0, "IN_TRANSIT", 52, "Noah Bennett", "3 Rose Court, York", "YO1 7PR", [(0, 0)], "2.99"),
    (0, "COMPLETED", 240, "Grace Lowe", "19 Kings Way, Bath", "BA1 2QH", [(0, 1), (0, 0)], "0.00"),
    (1, "AWAITING_SHIPMENT", 2, "Mason Reyes", "1199 Coleman Ave, San Jose, CA", "95110", [(2, 0)], "4.99"),
    (1, "AWAITING_SHIPMENT", 11, "Chloe Park", "500 Pine St, Seattle, WA", "98101", [(3, 0), (2, 0)], "0.00"),
    (1, "UNPAID", 1, "Ethan Cole", "77 Elm Ave, Austin, TX", "78701", [(3, 0)], "4.99"),
    (1, "CANCELLED", 30, "Ava Brooks", "9 Harbor Rd, Boston, MA", "02110", [(2, 0)], "4.99"),
    (2, "AWAITING_SHIPMENT", 5, "Nur Aisyah", "21 Jalan Ampang, Kuala Lumpur", "50450", [(4, 0)], "4.90"),
    (2, "AWAITING_COLLECTION", 26, "Tan Wei Ming", "8 Lorong Maarof, Bangsar", "59000", [(4, 0)], "4.90"),
    (2, "DELIVERED", 120, "Siti Rahman", "3 Jalan Tun Razak, Kuala Lumpur", "50400", [(4, 0)], "0.00"),
)


def build_state(now: float) -> TikTokState:
    """Fresh seed data; `now` is the platform clock at seed time."""
    stamp = int(now)
    products = _products(stamp)
    state = TikTokState(
        APP_KEY,
        APP_SECRET,
        sellers={s.open_id: s for s in SELLERS},
        shops={s.id: s for s in SHOPS},
        products={p.id: p for p in products},
        orders={},
    )
    for n, (shop_index, status, hours, buyer, street, postcode, picks, fee) in enumerate(_ORDERS):
        shop = SHOPS[shop_index]
        created = stamp - hours * 3600 - 17 * n  # distinct times keep sorting unambiguous
        order_id = str(576461413038785700 + n)
        lines = [
            LineItem(str(577086512123755100 + 10 * n + i), products[p], products[p].skus[s])
            for i, (p, s) in enumerate(picks)
        ]
        order = Order(
            order_id,
            shop.id,
            status,
            created,
            created + 600,
            buyer,
            street,
            postcode,
            str(1152321127278713100 + n),
            lines,
            fee,
        )
        _settle(order, status, created)
        state.orders[order_id] = order
    return state


def _settle(order: Order, status: str, created: int) -> None:
    """Fill what an order's history implies: payment, shipping, tracking."""
    if status != "UNPAID":
        order.paid_time = created + 60
    if status in ("IN_TRANSIT", "DELIVERED", "COMPLETED", "AWAITING_COLLECTION"):
        order.rts_time = created + 3 * 3600
        order.update_time = order.rts_time
        provider = next(iter(PROVIDERS))
        if status == "AWAITING_COLLECTION":
            order.shipping_type = "TIKTOK"
            order.events.append(
                TrackingEvent("Package is waiting to be collected by the carrier", order.rts_time * 1000)
            )
            return
        order.tracking_number = f"JX{order.id[-8:]}"
        order.provider_id = provider
        order.events.append(TrackingEvent("Seller has shipped your package", order.rts_time * 1000))
        if status in ("DELIVERED", "COMPLETED"):
            order.events.insert(0, TrackingEvent("Package delivered", (order.rts_time + 2 * 86400) * 1000))
