"""One WooCommerce store's data: API keys, products, orders and notes, and their REST JSON.

The store's timezone is Asia/Shanghai (UTC+8, no daylight saving since 1991), so every
`date_*` field (site-local, no offset) differs from its `date_*_gmt` twin by eight hours:
the classic trap for a client that reads `date_created` as UTC.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = [
    "SITE_OFFSET",
    "SITE_TIMEZONE",
    "ApiKey",
    "LineItem",
    "Meta",
    "Note",
    "Order",
    "Product",
    "StoreState",
    "gmt_text",
    "local_text",
    "seed_store",
]

SITE_TIMEZONE = "Asia/Shanghai"
SITE_OFFSET = timedelta(hours=8)
CURRENCY = "USD"
WC_VERSION = "9.8.5"
ORDER_STATUSES = (
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
)
PAID_STATUSES = ("processing", "completed")


def gmt_text(epoch: float | None) -> str | None:
    """`Y-m-d\\TH:i:s` in UTC, without an offset (the `_gmt` fields)."""
    if epoch is None:
        return None
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%S")


def local_text(epoch: float | None) -> str | None:
    """The same instant in the store's timezone, without an offset (the plain `date_*` fields)."""
    if epoch is None:
        return None
    return (datetime.fromtimestamp(int(epoch), UTC) + SITE_OFFSET).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass(slots=True)
class ApiKey:
    """A row of `woocommerce_api_keys`: each key belongs to a WordPress user."""

    key_id: int
    user_id: int
    login: str
    permissions: str  # read, write or read_write
    consumer_key: str
    consumer_secret: str
    nonces: dict[str, float] = field(default_factory=dict)  # nonce -> its oauth_timestamp

    @property
    def shop(self) -> str:
        # The limiter and the journal group by the key's user, as the Store API's limiter does.
        return f"wc-user-{self.user_id}"


@dataclass(slots=True)
class Meta:
    id: int
    key: str
    value: Any

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "value": self.value}


@dataclass(slots=True)
class Note:
    id: int
    created: float
    note: str
    customer_note: bool
    author: str = "system"


@dataclass(slots=True)
class LineItem:
    id: int
    product_id: int
    name: str
    sku: str
    quantity: int
    price: float

    def to_json(self) -> dict[str, Any]:
        total = f"{self.price * self.quantity:.2f}"
        return {
            "id": self.id,
            "name": self.name,
            "product_id": self.product_id,
            "variation_id": 0,
            "quantity": self.quantity,
            "tax_class": "",
            "subtotal": total,
            "subtotal_tax": "0.00",
            "total": total,
            "total_tax": "0.00",
            "taxes": [],
            "meta_data": [],
            "sku": self.sku,
            "price": self.price,
        }


@dataclass(slots=True)
class Order:
    id: int
    status: str
    created: float
    modified: float
    customer_id: int
    billing: dict[str, str]
    shipping: dict[str, str]
    line_items: list[LineItem]
    shipping_total: float
    shipping_method: str
    payment_method: str = "stripe"
    payment_method_title: str = "Credit Card (Stripe)"
    transaction_id: str = ""
    customer_note: str = ""
    paid: float | None = None
    completed: float | None = None
    order_key: str = field(default_factory=lambda: "wc_order_" + secrets.token_hex(6))
    meta: list[Meta] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def subtotal(self) -> float:
        return sum(item.price * item.quantity for item in self.line_items)

    def to_json(self, base_url: str) -> dict[str, Any]:
        links: dict[str, list[dict[str, str]]] = {
            "self": [{"href": f"{base_url}/wp-json/wc/v3/orders/{self.id}"}],
            "collection": [{"href": f"{base_url}/wp-json/wc/v3/orders"}],
        }
        if self.customer_id:
            links["customer"] = [{"href": f"{base_url}/wp-json/wc/v3/customers/{self.customer_id}"}]
        return {
            "id": self.id,
            "parent_id": 0,
            "number": str(self.id),
            "order_key": self.order_key,
            "created_via": "checkout",
            "version": WC_VERSION,
            "status": self.status,
            "currency": CURRENCY,
            "date_created": local_text(self.created),
            "date_created_gmt": gmt_text(self.created),
            "date_modified": local_text(self.modified),
            "date_modified_gmt": gmt_text(self.modified),
            "discount_total": "0.00",
            "discount_tax": "0.00",
            "shipping_total": f"{self.shipping_total:.2f}",
            "shipping_tax": "0.00",
            "cart_tax": "0.00",
            "total": f"{self.subtotal() + self.shipping_total:.2f}",
            "total_tax": "0.00",
            "prices_include_tax": False,
            "customer_id": self.customer_id,
            "customer_ip_address": "",
            "customer_user_agent": "",
            "customer_note": self.customer_note,
            "billing": dict(self.billing),
            "shipping": {k: v for k, v in self.shipping.items() if k != "email"},
            "payment_method": self.payment_method,
            "payment_method_title": self.payment_method_title,
            "transaction_id": self.transaction_id,
            "date_paid": local_text(self.paid),
            "date_paid_gmt": gmt_text(self.paid),
            "date_completed": local_text(self.completed),
            "date_completed_gmt": gmt_text(self.completed),
            "cart_hash": "",
            "meta_data": [m.to_json() for m in self.meta],
            "line_items": [item.to_json() for item in self.line_items],
            "tax_lines": [],
            "shipping_lines": [self._shipping_line()],
            "fee_lines": [],
            "coupon_lines": [],
            "refunds": [],
            "currency_symbol": "$",
            "_links": links,
        }

    def _shipping_line(self) -> dict[str, Any]:
        return {
            "id": self.id * 10 + 9,
            "method_title": self.shipping_method,
            "method_id": "flat_rate",
            "instance_id": "3",
            "total": f"{self.shipping_total:.2f}",
            "total_tax": "0.00",
            "taxes": [],
            "meta_data": [],
        }


@dataclass(slots=True)
class Product:
    id: int
    name: str
    sku: str
    regular_price: str
    manage_stock: bool
    stock_quantity: int | None
    stock_status: str
    created: float
    modified: float
    backorders: str = "no"
    low_stock_amount: int | None = None
    meta: list[Meta] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return "-".join(self.name.lower().replace(",", "").split())

    def sync_stock_status(self) -> None:
        """`WC_Product_Data_Store::validate_props`: a managed product's status follows its quantity."""
        if not self.manage_stock or self.stock_quantity is None:
            return
        if self.stock_quantity > 0:
            self.stock_status = "instock"
        else:
            self.stock_status = "outofstock" if self.backorders == "no" else "onbackorder"

    def to_json(self, base_url: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "slug": self.slug,
            "permalink": f"{base_url}/product/{self.slug}/",
            "date_created": local_text(self.created),
            "date_created_gmt": gmt_text(self.created),
            "date_modified": local_text(self.modified),
            "date_modified_gmt": gmt_text(self.modified),
            "type": "simple",
            "status": "publish",
            "featured": False,
            "catalog_visibility": "visible",
            "sku": self.sku,
            "price": self.regular_price,
            "regular_price": self.regular_price,
            "sale_price": "",
            "on_sale": False,
            "purchasable": True,
            "manage_stock": self.manage_stock,
            "stock_quantity": self.stock_quantity if self.manage_stock else None,
            "stock_status": self.stock_status,
            "backorders": self.backorders,
            "backorders_allowed": self.backorders != "no",
            "backordered": False,
            "low_stock_amount": self.low_stock_amount,
            "meta_data": [m.to_json() for m in self.meta],
            "_links": {
                "self": [{"href": f"{base_url}/wp-json/wc/v3/products/{self.id}"}],
                "collection": [{"href": f"{base_url}/wp-json/wc/v3/products"}],
            },
        }


@dataclass(slots=True)
class StoreState:
    keys: dict[str, ApiKey]  # consumer key -> key
    products: dict[int, Product]
    orders: dict[int, Order]
    next_post_id: int  # orders and products share WordPress's post id sequence
    next_meta_id: int = 5000
    next_note_id: int = 900
    next_item_id: int = 700
    webhook_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def key(self, login: str) -> ApiKey:
        return next(k for k in self.keys.values() if k.login == login)

    def new_post_id(self) -> int:
        self.next_post_id += 1
        return self.next_post_id

    def new_meta_id(self) -> int:
        self.next_meta_id += 1
        return self.next_meta_id

    def new_note_id(self) -> int:
        self.next_note_id += 1
        return self.next_note_id

    def new_item_id(self) -> int:
        self.next_item_id += 1
        return self.next_item_id


# -- the seeded store -----------------------------------------------------------------------

_PRODUCTS = (
    # id, name, sku, price, manage_stock, quantity (None: not managed), stock_status
    (18, "Bamboo Desk Lamp", "CC-LAMP-BAMBOO", "39.90", True, 42, "instock"),
    (21, "Ceramic Tea Set, 6 pieces", "CC-TEA-SET6", "64.00", True, 7, "instock"),
    (24, "Silk Sleep Mask", "CC-MASK-SILK", "18.50", True, 0, "outofstock"),
    (27, "Jade Face Roller", "CC-ROLLER-JADE", "24.00", True, 130, "instock"),
    (30, "Handmade Paper Lantern", "CC-LANTERN-RED", "12.90", False, None, "instock"),
    (33, "Cast Iron Teapot", "CC-TEAPOT-IRON", "89.00", True, 3, "instock"),
)

_CUSTOMERS = (
    ("Emily", "Carter", "US", "Austin", "TX", "78701", "412 Congress Ave", "emily.carter@example.com"),
    ("Lukas", "Bauer", "DE", "Berlin", "BE", "10115", "Invalidenstraße 7", "lukas.bauer@example.de"),
    ("Olivia", "Hughes", "GB", "Leeds", "", "LS1 4AP", "18 Park Row", "olivia.hughes@example.co.uk"),
    ("Camille", "Moreau", "FR", "Lyon", "", "69002", "5 Rue de la République", "camille.moreau@example.fr"),
    ("Jack", "Wilson", "AU", "Melbourne", "VIC", "3000", "200 Collins St", "jack.wilson@example.com.au"),
    ("Sophie", "Tremblay", "CA", "Montréal", "QC", "H2Y 1C6", "300 Rue Notre-Dame O", "sophie.t@example.ca"),
)

# status, hours before the seed time, customer, (product index, quantity)...
_ORDERS = (
    ("processing", 3, 0, ((0, 1), (3, 2))),
    ("processing", 9, 1, ((1, 1),)),
    ("on-hold", 14, 2, ((5, 1),)),
    ("processing", 22, 3, ((4, 4), (0, 1))),
    ("completed", 30, 4, ((3, 1),)),
    ("processing", 37, 5, ((2, 2),)),
    ("pending", 45, 0, ((1, 2),)),
    ("completed", 52, 1, ((0, 2),)),
    ("processing", 60, 2, ((3, 1), (4, 2))),
    ("cancelled", 71, 3, ((5, 1),)),
    ("completed", 80, 4, ((1, 1),)),
    ("processing", 95, 5, ((0, 1),)),
)


def _address(customer: tuple[str, ...]) -> dict[str, str]:
    first, last, country, city, state, postcode, street, email = customer
    return {
        "first_name": first,
        "last_name": last,
        "company": "",
        "address_1": street,
        "address_2": "",
        "city": city,
        "state": state,
        "postcode": postcode,
        "country": country,
        "email": email,
        "phone": "",
    }


def _new_key(key_id: int, user_id: int, login: str, permissions: str) -> ApiKey:
    return ApiKey(
        key_id, user_id, login, permissions, "ck_" + secrets.token_hex(20), "cs_" + secrets.token_hex(20)
    )


def seed_store(now: float) -> StoreState:
    """A small cross-border store: six products, twelve orders of the last four days, three API keys."""
    now = float(int(now))
    keys = [
        _new_key(1, 1, "clawcheck-adapter", "read_write"),
        _new_key(2, 4, "erp-sync", "read_write"),
        _new_key(3, 5, "reporting", "read"),
    ]
    state = StoreState({k.consumer_key: k for k in keys}, {}, {}, next_post_id=1039)
    for pid, name, sku, price, managed, quantity, status in _PRODUCTS:
        created = now - 40 * 86400 + pid * 3600
        state.products[pid] = Product(pid, name, sku, price, managed, quantity, status, created, created)
    products = list(state.products.values())
    for status, hours, who, lines in _ORDERS:
        oid = state.new_post_id()
        created = now - hours * 3600 - oid % 7 * 60
        customer = _CUSTOMERS[who]
        items = [
            LineItem(
                state.new_item_id(),
                products[i].id,
                products[i].name,
                products[i].sku,
                qty,
                float(products[i].regular_price),
            )
            for i, qty in lines
        ]
        paid = created + 120 if status in (*PAID_STATUSES, "cancelled") else None
        completed = created + 86400 if status == "completed" else None
        order = Order(
            oid,
            status,
            created,
            completed or created + 600,
            customer_id=10 + who,
            billing=_address(customer),
            shipping=_address(customer),
            line_items=items,
            shipping_total=12.0 if customer[2] != "US" else 6.5,
            shipping_method="International Flat Rate" if customer[2] != "US" else "USPS Priority",
            transaction_id=f"ch_{secrets.token_hex(8)}" if paid else "",
            paid=paid,
            completed=completed,
        )
        state.orders[oid] = order
    return state
