"""The state of the Lazada mock: ventures, sellers, products, orders, packages, and its seed.

Inventory follows Lazada's "inventory calculation logic" guide: an order item that is
pending or packed occupies one unit; ready-to-ship moves it out of stock altogether;
`sellable` is what buyers can still buy and `total = sellable + occupied`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "AUTH_HOST",
    "OCCUPYING",
    "VENTURES",
    "Address",
    "LazadaState",
    "Order",
    "OrderItem",
    "Package",
    "Product",
    "Seller",
    "Sku",
    "Venture",
    "build_state",
    "new_order",
    "order_id_for",
    "package_for",
    "provider_for",
]

AUTH_HOST = "auth.lazada.com"
APP_KEY = "112233"
APP_SECRET = "lzd-mock-app-secret-7f3a91c2d4e5b6a8"
# Item statuses whose unit is still held in stock for the buyer.
OCCUPYING = frozenset({"pending", "packed"})
_HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class Venture:
    country: str
    host: str
    utc_offset: int  # minutes; order date-times are rendered in the venture's time zone
    currency: str
    site: str  # as push messages name it
    web: str  # the storefront domain, for product URLs


VENTURES: dict[str, Venture] = {
    "sg": Venture("sg", "api.lazada.sg", 480, "SGD", "lazada_sg", "www.lazada.sg"),
    "my": Venture("my", "api.lazada.com.my", 480, "MYR", "lazada_my", "www.lazada.com.my"),
    "th": Venture("th", "api.lazada.co.th", 420, "THB", "lazada_th", "www.lazada.co.th"),
}


@dataclass(frozen=True, slots=True)
class Address:
    first_name: str
    last_name: str
    phone: str
    address1: str
    city: str
    post_code: str
    country: str

    def to_dict(self) -> dict[str, str]:
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "phone": self.phone,
            "phone2": "",
            "address1": self.address1,
            "address2": "",
            "address3": self.city,
            "address4": self.city,
            "address5": "",
            "city": self.city,
            "post_code": self.post_code,
            "country": self.country,
        }


@dataclass(slots=True)
class Seller:
    seller_id: str
    user_id: str
    short_code: str
    account: str
    country: str
    access_token: str = ""
    refresh_token: str = ""

    @property
    def venture(self) -> Venture:
        return VENTURES[self.country]


@dataclass(slots=True)
class Sku:
    sku_id: int
    seller_sku: str
    price: Decimal
    sellable: int
    variation: str = ""
    special_price: Decimal = Decimal("0")


@dataclass(slots=True)
class Product:
    item_id: int
    seller_id: str
    name: str
    brand: str
    category: int
    created: float
    updated: float
    skus: list[Sku] = field(default_factory=list)

    def shop_sku(self, sku: Sku, country: str) -> str:
        return f"{self.item_id}_{country.upper()}-{sku.sku_id}"


@dataclass(slots=True)
class OrderItem:
    order_item_id: int
    item_id: int
    sku_id: int
    seller_sku: str
    name: str
    variation: str
    price: Decimal
    status: str
    created: float
    updated: float
    package_id: str = ""
    tracking_code: str = ""
    shipment_provider: str = ""


@dataclass(slots=True)
class Order:
    order_id: int
    seller_id: str
    country: str
    created: float
    updated: float
    customer: Address
    payment_method: str
    shipping_fee: Decimal
    items: list[OrderItem] = field(default_factory=list)

    @property
    def statuses(self) -> list[str]:
        return list(dict.fromkeys(item.status for item in self.items))

    @property
    def price(self) -> Decimal:
        return sum((item.price for item in self.items), Decimal("0"))


@dataclass(slots=True)
class Package:
    package_id: str
    seller_id: str
    order_id: int
    item_ids: list[int]
    tracking_number: str
    provider: str
    status: str = "packed"


@dataclass(slots=True)
class LazadaState:
    app_key: str
    app_secret: str
    sellers: dict[str, Seller] = field(default_factory=dict)
    products: dict[int, Product] = field(default_factory=dict)
    orders: dict[int, Order] = field(default_factory=dict)
    packages: dict[str, Package] = field(default_factory=dict)
    auth_codes: dict[str, tuple[str, float]] = field(default_factory=dict)  # code -> (seller, valid until)
    refresh_deadlines: dict[str, float] = field(default_factory=dict)  # refresh token -> platform time
    serial: int = 0

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def seller_orders(self, seller_id: str) -> list[Order]:
        return [order for order in self.orders.values() if order.seller_id == seller_id]

    def find_sku(
        self, seller_id: str, sku_id: int | None, seller_sku: str | None
    ) -> tuple[Product, Sku] | None:
        for product in self.products.values():
            if product.seller_id != seller_id:
                continue
            for sku in product.skus:
                if (sku_id is not None and sku.sku_id == sku_id) or (
                    sku_id is None and sku.seller_sku == seller_sku
                ):
                    return product, sku
        return None

    def occupied(self, sku_id: int) -> int:
        return sum(
            1
            for order in self.orders.values()
            for item in order.items
            if item.sku_id == sku_id and item.status in OCCUPYING
        )


# -- the seed ----------------------------------------------------------------------------

_SELLERS = (
    Seller("1000200101", "200101", "SG4KX7A", "ops@kaoslab.sg", "sg"),
    Seller("1000200202", "200202", "MY2BT9Q", "kedai@kopibatik.my", "my"),
    Seller("1000200303", "200303", "TH7RC3M", "shop@siamgoods.co.th", "th"),
)

# (seller index, item_id, name, brand, category, [(sku_id, seller_sku, price, sellable, variation)])
_PRODUCTS = (
    (
        0,
        2807246101,
        "Cotton Crew Tee",
        "Kaos Lab",
        10100,
        [
            (13449296011, "SG-TEE-BLK-M", "19.90", 40, "Black, M"),
            (13449296012, "SG-TEE-WHT-L", "19.90", 25, "White, L"),
        ],
    ),
    (0, 2807246102, "Bamboo Lunch Box", "Kaos Lab", 10200, [(13449296021, "SG-BOX-BAM", "24.50", 12, "")]),
    (1, 2807246201, "Kopi Beans 500g", "Kopi Batik", 20100, [(13449296111, "MY-KOPI-500", "35.00", 60, "")]),
    (1, 2807246202, "Batik Scarf", "Kopi Batik", 20200, [(13449296121, "MY-BATIK-RED", "49.00", 8, "Red")]),
    (
        2,
        2807246301,
        "Jasmine Rice 5kg",
        "Siam Goods",
        30100,
        [(13449296211, "TH-RICE-5KG", "289.00", 100, "")],
    ),
    (
        2,
        2807246302,
        "Thai Silk Pillow",
        "Siam Goods",
        30200,
        [(13449296221, "TH-SILK-PIL", "450.00", 15, "")],
    ),
)

_CUSTOMERS = {
    "sg": Address(
        "Wei Ling", "T.", "+6591234567", "10 Tampines Central 1, #05-12", "Singapore", "529536", "Singapore"
    ),
    "my": Address(
        "Nurul", "A.", "+60123456789", "55 Jalan Bukit Bintang", "Kuala Lumpur", "55100", "Malaysia"
    ),
    "th": Address("Somchai", "P.", "+66812345678", "99 Sukhumvit Soi 11", "Bangkok", "10110", "Thailand"),
}

# Per seller: (hours ago, payment method, [(sku_id, status)]); the order's statuses follow its items.
_ORDERS: dict[int, tuple[tuple[float, str, list[tuple[int, str]]], ...]] = {
    0: (
        (3, "COD", [(13449296011, "pending"), (13449296021, "pending")]),
        (9, "MIXEDCARD", [(13449296012, "pending")]),
        (20, "MIXEDCARD", [(13449296011, "pending")]),
        (31, "COD", [(13449296021, "pending")]),
        (44, "MIXEDCARD", [(13449296012, "packed")]),
        (60, "MIXEDCARD", [(13449296011, "ready_to_ship")]),
        (96, "COD", [(13449296021, "delivered"), (13449296011, "delivered")]),
    ),
    1: (
        (5, "COD", [(13449296111, "pending")]),
        (26, "MIXEDCARD", [(13449296121, "pending"), (13449296111, "pending")]),
        (70, "COD", [(13449296111, "canceled")]),
    ),
    2: (
        (2, "COD", [(13449296211, "pending")]),
        (15, "MIXEDCARD", [(13449296221, "pending")]),
        (50, "COD", [(13449296211, "shipped")]),
    ),
}


def order_id_for(seller_index: int, serial: int) -> int:
    """Lazada-shaped 15-digit ids; an order's items are `order_id + 100000 + n`."""
    return 560694400000001 + seller_index * 10_000_000 + serial * 1000


def build_state(now: float) -> LazadaState:
    """The seeded marketplace, with every date relative to `now` (the platform's clock)."""
    state = LazadaState(APP_KEY, APP_SECRET)
    sellers = [Seller(s.seller_id, s.user_id, s.short_code, s.account, s.country) for s in _SELLERS]
    state.sellers = {seller.seller_id: seller for seller in sellers}
    for index, item_id, name, brand, category, skus in _PRODUCTS:
        product = Product(
            item_id, sellers[index].seller_id, name, brand, category, now - 90 * 24 * _HOUR, now - 24 * _HOUR
        )
        product.skus = [
            Sku(sku_id, code, Decimal(price), stock, variation)
            for sku_id, code, price, stock, variation in skus
        ]
        state.products[item_id] = product
    for index, orders in _ORDERS.items():
        seller = sellers[index]
        for hours, payment, lines in orders:
            created = now - hours * _HOUR
            order = new_order(
                state, seller, order_id_for(index, len(state.orders) + 1), created, payment, lines
            )
            state.orders[order.order_id] = order
            _seed_package(state, order)
    return state


def new_order(
    state: LazadaState,
    seller: Seller,
    order_id: int,
    created: float,
    payment: str,
    lines: list[tuple[int, str]],
) -> Order:
    order = Order(
        order_id,
        seller.seller_id,
        seller.country,
        created,
        created,
        _CUSTOMERS[seller.country],
        payment,
        Decimal("0"),
    )
    for number, (sku_id, status) in enumerate(lines):
        found = state.find_sku(seller.seller_id, sku_id, None)
        if found is None:  # the seed tables are inconsistent: a programming error
            raise LookupError(f"seed order {order_id} names unknown SKU {sku_id}")
        product, sku = found
        order.items.append(
            OrderItem(
                order_id + 100_000 + number,
                product.item_id,
                sku.sku_id,
                sku.seller_sku,
                product.name,
                sku.variation,
                sku.price,
                status,
                created,
                created,
            )
        )
    order.shipping_fee = Decimal("0") if order.price >= Decimal("40") else Decimal("2.99")
    return order


def provider_for(country: str) -> str:
    return "Flash Express" if country == "th" else f"LEX {country.upper()}"


def package_for(state: LazadaState, order: Order, items: list[OrderItem], status: str) -> Package:
    """A package of `items` with Lazada-shaped package id and tracking number."""
    serial = state.next_serial()
    package = Package(
        package_id=f"FP{serial:05d}{order.order_id % 10**10:010d}",
        seller_id=order.seller_id,
        order_id=order.order_id,
        item_ids=[item.order_item_id for item in items],
        tracking_number=f"{order.country.upper()}{serial:06d}{order.order_id % 10**6:06d}LZ",
        provider=provider_for(order.country),
        status=status,
    )
    for item in items:
        item.package_id = package.package_id
        item.tracking_code = package.tracking_number
        item.shipment_provider = package.provider
    state.packages[package.package_id] = package
    return package


def _seed_package(state: LazadaState, order: Order) -> None:
    shipped = [
        item for item in order.items if item.status in ("packed", "ready_to_ship", "shipped", "delivered")
    ]
    if shipped:
        package_for(state, order, shipped, "packed" if shipped[0].status == "packed" else "ready_to_ship")
