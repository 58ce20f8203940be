"""What a Shopee mock holds: shops, items with models, orders with packages, and token records.

The seed is deterministic apart from its time base (orders are placed in the days before the
mock starts, so a client asking for "the last 15 days" finds them) and its token values.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Item", "Model", "Order", "OrderLine", "RefreshRecord", "Shop", "ShopeeState", "seed_state"]

DAY = 86400
HOUR = 3600

# Fields get_order_detail returns without being asked (v2.order.get_order_detail).
DEFAULT_ORDER_FIELDS = (
    "order_sn",
    "region",
    "currency",
    "cod",
    "order_status",
    "message_to_seller",
    "create_time",
    "update_time",
    "days_to_ship",
    "ship_by_date",
)
OPTIONAL_ORDER_FIELDS = frozenset(
    {
        "buyer_user_id",
        "buyer_username",
        "estimated_shipping_fee",
        "recipient_address",
        "item_list",
        "pay_time",
        "package_list",
        "shipping_carrier",
        "payment_method",
        "total_amount",
        "note",
        "fulfillment_flag",
        "pickup_done_time",
    }
)


@dataclass(slots=True)
class Shop:
    shop_id: int
    name: str
    region: str
    currency: str
    location_id: str  # the stock location of its single warehouse
    ship_method: str  # what get_shipping_parameter asks for: pickup, dropoff or non_integrated
    address_id: int
    branch_id: int
    carrier: str
    city: str


@dataclass(slots=True)
class Model:
    model_id: int
    sku: str
    name: str
    tier_index: tuple[int, ...]
    price: float
    stock: int


@dataclass(slots=True)
class Item:
    item_id: int
    shop_id: int
    name: str
    sku: str
    category_id: int
    price: float  # items without models
    stock: int  # items without models
    create_time: int
    update_time: int
    tier_name: str = ""
    models: list[Model] = field(default_factory=list)

    def model(self, model_id: int) -> Model | None:
        return next((m for m in self.models if m.model_id == model_id), None)


@dataclass(slots=True)
class OrderLine:
    item_id: int
    model_id: int
    quantity: int
    original_price: float
    discounted_price: float


@dataclass(slots=True)
class Order:
    order_sn: str
    shop_id: int
    status: str
    create_time: int
    update_time: int
    pay_time: int | None
    buyer_user_id: int
    buyer_username: str
    recipient: str
    city: str
    zipcode: str
    lines: list[OrderLine]
    cod: bool = False
    days_to_ship: int = 3
    message_to_seller: str = ""
    package_number: str = ""
    logistics_status: str = "LOGISTICS_READY"
    tracking_number: str = ""
    pickup_done_time: int = 0

    def total(self) -> float:
        return round(sum(line.discounted_price * line.quantity for line in self.lines), 2)

    def ship_by_date(self) -> int:
        return (self.pay_time or self.create_time) + self.days_to_ship * DAY


@dataclass(slots=True)
class RefreshRecord:
    """A refresh token Shopee issued: single-use, 30 days; `access` is the token issued with it."""

    shop_id: int
    access: str
    expires_at: float | None
    used: bool = False


@dataclass(slots=True)
class ShopeeState:
    shops: dict[int, Shop]
    items: dict[int, Item]
    orders: dict[str, Order]
    current: dict[int, tuple[str, str]] = field(default_factory=dict)  # shop -> (access, refresh)
    refresh: dict[str, RefreshRecord] = field(default_factory=dict)
    superseded: dict[str, float] = field(default_factory=dict)  # access -> when a refresh replaced it
    codes: dict[str, tuple[int, float]] = field(default_factory=dict)  # auth code -> (shop, expires)
    tracking_serial: int = 0
    order_serial: int = 0

    def shop_orders(self, shop_id: int) -> list[Order]:
        return [o for o in self.orders.values() if o.shop_id == shop_id]

    def next_tracking_number(self, region: str) -> str:
        self.tracking_serial += 1
        return f"SPX{region}{self.tracking_serial:011d}"


# -- rendering as Shopee does --------------------------------------------------------------


def order_detail(order: Order, state: ShopeeState, wanted: Iterable[str]) -> dict[str, Any]:
    """One `order_list` entry of get_order_detail: the default fields plus the ones asked for."""
    shop = state.shops[order.shop_id]
    fields: dict[str, Any] = {
        "order_sn": order.order_sn,
        "region": shop.region,
        "currency": shop.currency,
        "cod": order.cod,
        "order_status": order.status,
        "message_to_seller": order.message_to_seller,
        "create_time": order.create_time,
        "update_time": order.update_time,
        "days_to_ship": order.days_to_ship,
        "ship_by_date": order.ship_by_date(),
    }
    optional: dict[str, Callable[[], Any]] = {
        "buyer_user_id": lambda: order.buyer_user_id,
        "buyer_username": lambda: order.buyer_username,
        "estimated_shipping_fee": lambda: 3.5,
        "recipient_address": lambda: _address(order, shop),
        "item_list": lambda: [_line(line, state.items) for line in order.lines],
        "pay_time": lambda: order.pay_time or 0,
        "package_list": lambda: [_package(order, shop)],
        "shipping_carrier": lambda: shop.carrier,
        "payment_method": lambda: "Cash on Delivery" if order.cod else "Credit Card/Debit Card",
        "total_amount": order.total,
        "note": lambda: "",
        "fulfillment_flag": lambda: "fulfilled_by_local_seller",
        "pickup_done_time": lambda: order.pickup_done_time,
    }
    for name in wanted:
        if name in optional:
            fields[name] = optional[name]()
    return fields


def _address(order: Order, shop: Shop) -> dict[str, str]:
    return {
        "name": order.recipient,
        "phone": "******" + str(order.buyer_user_id)[-2:],
        "town": "",
        "district": "",
        "city": order.city,
        "state": order.city,
        "region": shop.region,
        "zipcode": order.zipcode,
        "full_address": "******",
    }


def _line(line: OrderLine, items: dict[int, Item]) -> dict[str, Any]:
    item = items[line.item_id]
    model = item.model(line.model_id)
    return {
        "item_id": item.item_id,
        "item_name": item.name,
        "item_sku": item.sku,
        "model_id": line.model_id,
        "model_name": model.name if model else "",
        "model_sku": model.sku if model else "",
        "model_quantity_purchased": line.quantity,
        "model_original_price": line.original_price,
        "model_discounted_price": line.discounted_price,
        "weight": 0.3,
    }


def _package(order: Order, shop: Shop) -> dict[str, Any]:
    return {
        "package_number": order.package_number,
        "logistics_status": order.logistics_status,
        "shipping_carrier": shop.carrier,
        "item_list": [
            {"item_id": line.item_id, "model_id": line.model_id, "model_quantity": line.quantity}
            for line in order.lines
        ],
    }


def stock_info(stock: int, location_id: str) -> dict[str, Any]:
    return {
        "summary_info": {"total_reserved_stock": 0, "total_available_stock": stock},
        "seller_stock": [{"location_id": location_id, "stock": stock}],
    }


def item_base_info(item: Item, shop: Shop) -> dict[str, Any]:
    info: dict[str, Any] = {
        "item_id": item.item_id,
        "category_id": item.category_id,
        "item_name": item.name,
        "item_sku": item.sku,
        "create_time": item.create_time,
        "update_time": item.update_time,
        "item_status": "NORMAL",
        "has_model": bool(item.models),
    }
    if not item.models:  # an item with models keeps price and stock on its models
        info["price_info"] = [_price(item.price, shop)]
        info["stock_info_v2"] = stock_info(item.stock, shop.location_id)
    return info


def model_list(item: Item, shop: Shop) -> dict[str, Any]:
    options = [{"option": m.name} for m in item.models]
    return {
        "tier_variation": [{"name": item.tier_name, "option_list": options}] if item.models else [],
        "model": [
            {
                "model_id": m.model_id,
                "model_sku": m.sku,
                "tier_index": list(m.tier_index),
                "price_info": [_price(m.price, shop)],
                "stock_info_v2": stock_info(m.stock, shop.location_id),
            }
            for m in item.models
        ],
    }


def _price(price: float, shop: Shop) -> dict[str, Any]:
    return {"currency": shop.currency, "original_price": price, "current_price": price}


# -- the seed ------------------------------------------------------------------------------

_SHOPS = (
    Shop(14701711, "clawcheck.sg", "SG", "SGD", "SGZ", "pickup", 200018, 0, "SPX Express", "Singapore"),
    Shop(22650327, "clawcheck.my", "MY", "MYR", "MYZ", "dropoff", 0, 70131, "J&T Express", "Kuala Lumpur"),
    Shop(38812045, "clawcheck.ph", "PH", "PHP", "PHZ", "pickup", 400251, 0, "SPX Express", "Makati"),
)

# (item_id, shop, name, sku, category, price, stock, tier name, models (id, sku, name, price, stock))
_ITEMS: tuple[tuple[Any, ...], ...] = (
    (800123456, 14701711, "Bamboo Cutting Board 40cm", "BCB-40", 100636, 24.9, 40, "", ()),
    (
        800123457,
        14701711,
        "Organic Cotton Tee",
        "OCT",
        100017,
        0.0,
        0,
        "Size",
        (
            (2000111, "OCT-S", "S", 19.0, 12),
            (2000112, "OCT-M", "M", 19.0, 30),
            (2000113, "OCT-L", "L", 19.0, 8),
        ),
    ),
    (900234567, 22650327, "Insulated Travel Mug 500ml", "ITM-500", 100640, 45.0, 25, "", ()),
    (
        700345678,
        38812045,
        "Shockproof Phone Case",
        "SPC",
        100535,
        0.0,
        0,
        "Model",
        ((3000221, "SPC-A15", "A15", 349.0, 60), (3000222, "SPC-A25", "A25", 349.0, 15)),
    ),
)

# (shop, status, hours before start it was placed, buyer, city, zipcode, lines (item, model, qty, price), cod)
_ORDERS: tuple[tuple[Any, ...], ...] = (
    (14701711, "READY_TO_SHIP", 70, "tan.wl", "Singapore", "238859", ((800123456, 0, 1, 24.9),), False),
    (14701711, "READY_TO_SHIP", 52, "lim_kh", "Singapore", "529510", ((800123457, 2000112, 2, 19.0),), False),
    (14701711, "PROCESSED", 49, "ng.shu", "Singapore", "560123", ((800123457, 2000111, 1, 19.0),), False),
    (14701711, "SHIPPED", 40, "rajesh_k", "Singapore", "408600", ((800123456, 0, 2, 24.9),), False),
    (14701711, "UNPAID", 30, "chloe.o", "Singapore", "449269", ((800123457, 2000113, 1, 19.0),), False),
    (14701711, "COMPLETED", 26, "darren88", "Singapore", "650101", ((800123456, 0, 1, 24.9),), False),
    (14701711, "READY_TO_SHIP", 6, "siti.a", "Singapore", "310145", ((800123457, 2000111, 3, 19.0),), True),
    (22650327, "READY_TO_SHIP", 45, "amirul_h", "Kuala Lumpur", "50450", ((900234567, 0, 1, 45.0),), True),
    (22650327, "CANCELLED", 33, "mei.ling", "Petaling Jaya", "47301", ((900234567, 0, 2, 45.0),), False),
    (22650327, "COMPLETED", 20, "farid.z", "Shah Alam", "40000", ((900234567, 0, 1, 45.0),), False),
    (38812045, "READY_TO_SHIP", 30, "jdelacruz", "Makati", "1226", ((700345678, 3000221, 1, 349.0),), True),
    (38812045, "TO_CONFIRM_RECEIVE", 80, "mae.s", "Quezon", "1100", ((700345678, 3000222, 1, 349.0),), False),
)  # fmt: skip
_SN_SUFFIXES = ("8R48U37H", "9KQ2VXA1", "7M3P0WZD", "6T5N8CJE", "5H2R4YBQ", "4G7K1LSU", "3F9D6MPX",
                "2E8C5NHT", "1D4B3QGV", "0C6A9RFW", "9B1Z7SKY", "8A3Y2TJM")  # fmt: skip
_SHIPPED = frozenset({"PROCESSED", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED"})
_LOGISTICS = {
    "UNPAID": "LOGISTICS_NOT_START",
    "READY_TO_SHIP": "LOGISTICS_READY",
    "PROCESSED": "LOGISTICS_REQUEST_CREATED",
    "SHIPPED": "LOGISTICS_PICKUP_DONE",
    "TO_CONFIRM_RECEIVE": "LOGISTICS_DELIVERY_DONE",
    "COMPLETED": "LOGISTICS_DELIVERY_DONE",
    "CANCELLED": "LOGISTICS_INVALID",
}


def order_sn(placed: int, suffix: str) -> str:
    """Shopee's order_sn: the UTC date as YYMMDD followed by 8 upper-case letters and digits."""
    return time.strftime("%y%m%d", time.gmtime(placed)) + suffix


def seed_state(now: float) -> ShopeeState:
    start = int(now)
    shops = {shop.shop_id: _copy_shop(shop) for shop in _SHOPS}
    items = {row[0]: _item(row, start) for row in _ITEMS}
    state = ShopeeState(shops=shops, items=items, orders={})
    for index, row in enumerate(_ORDERS):
        order = _order(row, _SN_SUFFIXES[index], start, index)
        if order.status in _SHIPPED:
            order.tracking_number = state.next_tracking_number(shops[order.shop_id].region)
            if order.status != "PROCESSED":
                order.pickup_done_time = order.create_time + DAY
        state.orders[order.order_sn] = order
    return state


def new_order(state: ShopeeState, shop_id: int, now: float) -> Order:
    """A freshly paid order (the control API's simulated buyer)."""
    item = next(i for i in state.items.values() if i.shop_id == shop_id)
    model = item.models[0] if item.models else None
    state.order_serial += 1
    placed = int(now)
    suffix = f"SIM{state.order_serial:05d}"[:8]
    line = OrderLine(item.item_id, model.model_id if model else 0, 1, *(2 * ((model or item).price,)))
    order = Order(
        order_sn=order_sn(placed, suffix),
        shop_id=shop_id,
        status="READY_TO_SHIP",
        create_time=placed,
        update_time=placed,
        pay_time=placed,
        buyer_user_id=1170300000 + state.order_serial,
        buyer_username=f"buyer{state.order_serial}",
        recipient="S******",
        city=state.shops[shop_id].city,
        zipcode="000000",
        lines=[line],
    )
    order.package_number = f"OFG{placed}{state.order_serial:04d}"
    state.orders[order.order_sn] = order
    return order


def new_token_value() -> str:
    """Shopee tokens are 32 lower-case hex characters."""
    return secrets.token_hex(16)


def _copy_shop(shop: Shop) -> Shop:
    return Shop(*(getattr(shop, name) for name in Shop.__slots__))


def _item(row: tuple[Any, ...], start: int) -> Item:
    item_id, shop_id, name, sku, category, price, stock, tier, models = row
    created = start - 90 * DAY
    item = Item(item_id, shop_id, name, sku, category, price, stock, created, created + 10 * DAY, tier)
    item.models = [Model(m[0], m[1], m[2], (i,), m[3], m[4]) for i, m in enumerate(models)]
    return item


def _order(row: tuple[Any, ...], suffix: str, start: int, index: int) -> Order:
    shop_id, status, hours, buyer, city, zipcode, lines, cod = row
    placed = start - hours * HOUR - index * 97  # distinct times, deterministic
    paid = None if status == "UNPAID" else placed + 15 * 60
    order = Order(
        order_sn=order_sn(placed, suffix),
        shop_id=shop_id,
        status=status,
        create_time=placed,
        update_time=placed + (3 * HOUR if status in _SHIPPED or status == "CANCELLED" else 15 * 60),
        pay_time=paid,
        buyer_user_id=1170319091 + index * 7919,
        buyer_username=buyer,
        recipient=buyer[0].upper() + "******",
        city=city,
        zipcode=zipcode,
        lines=[OrderLine(item, model, qty, price, price) for item, model, qty, price in lines],
        cod=cod,
        logistics_status=_LOGISTICS[status],
    )
    order.package_number = f"OFG{placed}{index:04d}"
    return order
