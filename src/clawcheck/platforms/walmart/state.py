"""The Walmart mock's business state: sellers, their apps, orders and inventory, and their JSON.

Everything here is plain data; the routes in `__init__.py` decide what may change. Times
are epoch milliseconds (UTC), as Walmart sends them.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

__all__ = [
    "SELLERS",
    "Address",
    "App",
    "Order",
    "OrderLine",
    "Seller",
    "StatusEntry",
    "Tracking",
    "WalmartState",
    "iso_ms",
    "make_apps",
    "seed_state",
]

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
Environment = Literal["sandbox", "production"]
LINE_STATUSES = ("Created", "Acknowledged", "Shipped", "Delivered", "Cancelled")
METHOD_CODES = ("Standard", "Express", "OneDay", "Freight", "WhiteGlove", "Value")


@dataclass(frozen=True, slots=True)
class Seller:
    partner_id: str  # Walmart's partnerId: the "shop" the engine rate-limits and journals
    seller_id: str
    name: str


SELLERS = (
    Seller("10000012345", "101", "Evergreen Outfitters"),
    Seller("10000023456", "102", "Harbor Home Goods"),
    Seller("10000034567", "103", "Summit Tools"),
)


@dataclass(frozen=True, slots=True)
class App:
    """A Developer Portal app: its client id/secret work on one environment's host only."""

    client_id: str
    client_secret: str
    environment: Environment
    kind: Literal["seller", "solution_provider"]
    partner_id: str = ""  # the seller's own app; empty for a solution provider


def make_apps() -> dict[str, App]:
    """One app per seller per environment, and one solution-provider app per environment."""
    apps: dict[str, App] = {}
    for environment in ("sandbox", "production"):
        for seller in SELLERS:
            app = App(str(uuid.uuid4()), secrets.token_urlsafe(48), environment, "seller", seller.partner_id)
            apps[app.client_id] = app
        provider = App(str(uuid.uuid4()), secrets.token_urlsafe(48), environment, "solution_provider")
        apps[provider.client_id] = provider
    return apps


@dataclass(slots=True)
class Tracking:
    ship_ms: int
    carrier: str | None
    other_carrier: str | None
    method_code: str
    number: str
    url: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "shipDateTime": self.ship_ms,
            "carrierName": {"otherCarrier": self.other_carrier, "carrier": self.carrier},
            "methodCode": self.method_code,
            "trackingNumber": self.number,
            "trackingURL": self.url,
        }


@dataclass(slots=True)
class StatusEntry:
    """One `orderLineStatus`: `quantity` units of the line are in `status`."""

    status: str
    quantity: int
    tracking: Tracking | None = None
    cancellation_reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "statusQuantity": {"unitOfMeasurement": "EACH", "amount": str(self.quantity)},
            "cancellationReason": self.cancellation_reason,
            "trackingInfo": self.tracking.to_json() if self.tracking else None,
        }


@dataclass(slots=True)
class OrderLine:
    number: str
    sku: str
    product_name: str
    unit_price: float
    shipping: float
    quantity: int
    statuses: list[StatusEntry]
    status_ms: int

    def quantity_in(self, *states: str) -> int:
        return sum(s.quantity for s in self.statuses if s.status in states)

    def to_json(self, *, product_info: bool, ship_ms: int) -> dict[str, Any]:
        item: dict[str, Any] = {"productName": self.product_name, "sku": self.sku}
        if product_info:
            item["imageUrl"] = f"https://i5.walmartimages.com/asr/{self.sku.lower()}.jpeg"
            item["weight"] = {"value": "1.25", "unit": "Pounds"}
        return {
            "lineNumber": self.number,
            "item": item,
            "charges": {"charge": self._charges()},
            "orderLineQuantity": {"unitOfMeasurement": "EACH", "amount": str(self.quantity)},
            "statusDate": self.status_ms,
            "orderLineStatuses": {"orderLineStatus": [s.to_json() for s in self.statuses]},
            "refund": None,
            "fulfillment": {
                "fulfillmentOption": "S2H",
                "shipMethod": "STANDARD",
                "storeId": None,
                "pickUpDateTime": ship_ms,
                "pickUpBy": None,
            },
        }

    def _charges(self) -> list[dict[str, Any]]:
        product = round(self.unit_price * self.quantity, 2)
        charges = [_charge("PRODUCT", "ItemPrice", product)]
        if self.shipping:
            charges.append(_charge("SHIPPING", "Shipping", self.shipping))
        return charges


def _charge(kind: str, name: str, amount: float) -> dict[str, Any]:
    return {
        "chargeType": kind,
        "chargeName": name,
        "chargeAmount": {"currency": "USD", "amount": amount},
        "tax": {"taxName": "Tax1", "taxAmount": {"currency": "USD", "amount": round(amount * 0.0725, 2)}},
    }


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    address1: str
    city: str
    state: str
    postal_code: str
    phone: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "address1": self.address1,
            "address2": None,
            "city": self.city,
            "state": self.state,
            "postalCode": self.postal_code,
            "country": "USA",
            "addressType": "RESIDENTIAL",
        }


@dataclass(slots=True)
class Order:
    purchase_order_id: str
    customer_order_id: str
    partner_id: str
    order_ms: int
    modified_ms: int
    method_code: str
    address: Address
    lines: list[OrderLine]
    email: str = field(default_factory=lambda: f"{secrets.token_hex(16).upper()}@relay.walmart.com")

    @property
    def ship_ms(self) -> int:
        return self.order_ms + 2 * DAY_MS

    @property
    def delivery_ms(self) -> int:
        return self.order_ms + 5 * DAY_MS

    def has_status(self, status: str) -> bool:
        return any(s.status == status for line in self.lines for s in line.statuses)

    def line(self, number: str) -> OrderLine | None:
        return next((line for line in self.lines if line.number == number), None)

    def to_json(self, *, product_info: bool = False) -> dict[str, Any]:
        return {
            "purchaseOrderId": self.purchase_order_id,
            "customerOrderId": self.customer_order_id,
            "customerEmailId": self.email,
            "orderDate": self.order_ms,
            "shippingInfo": {
                "phone": self.address.phone,
                "estimatedDeliveryDate": self.delivery_ms,
                "estimatedShipDate": self.ship_ms,
                "methodCode": self.method_code,
                "postalAddress": self.address.to_json(),
            },
            "orderLines": {
                "orderLine": [
                    line.to_json(product_info=product_info, ship_ms=self.ship_ms) for line in self.lines
                ]
            },
            "shipNode": {"type": "SellerFulfilled"},
        }

    def notification(self, event_type: str, now_ms: int) -> dict[str, Any]:
        """The PO_CREATED / PO_LINE_AUTOCANCELLED notification body for this order."""
        return {
            "source": {"eventType": event_type, "eventTime": iso_ms(now_ms), "eventId": str(uuid.uuid4())},
            "payload": {
                "partnerId": self.partner_id,
                "purchaseOrderId": self.purchase_order_id,
                "customerOrderId": self.customer_order_id,
                "orderDate": iso_ms(self.order_ms),
                "estimatedDeliveryDate": iso_ms(self.delivery_ms),
                "estimatedShipDate": iso_ms(self.ship_ms),
                "orderLines": [
                    {
                        "lineNumber": line.number,
                        "sku": line.sku,
                        "productName": line.product_name,
                        "quantity": {"unitOfMeasure": "EACH", "measurementValue": line.quantity},
                        "status": line.statuses[0].status,
                    }
                    for line in self.lines
                ],
            },
        }


def iso_ms(epoch_ms: int) -> str:
    """`2026-11-20T10:00:00.000Z` for an epoch-millisecond instant."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


@dataclass(slots=True)
class WalmartState:
    orders: dict[str, Order] = field(default_factory=dict)  # by purchaseOrderId
    inventory: dict[tuple[str, str], int] = field(default_factory=dict)  # (partnerId, sku) -> amount
    next_po: int = 0

    def new_po_ids(self) -> tuple[str, str]:
        """A fresh (purchaseOrderId, customerOrderId) pair, 13 digits each as Walmart's are."""
        self.next_po += 1
        return str(4792059978801 + self.next_po * 137), str(5281956426648 + self.next_po * 211)

    def orders_of(self, partner_id: str) -> list[Order]:
        """The seller's orders, newest first (ties by purchaseOrderId): the listing order."""
        mine = [o for o in self.orders.values() if o.partner_id == partner_id]
        return sorted(mine, key=lambda o: (-o.order_ms, o.purchase_order_id))


# -- seed data ---------------------------------------------------------------------------

# (sku, product name, unit price) per seller.
CATALOG: dict[str, tuple[tuple[str, str, float], ...]] = {
    SELLERS[0].partner_id: (
        ("EO-TENT-2P", "Ridgeline 2-Person Backpacking Tent, Olive", 149.99),
        ("EO-BOTTLE-32", "Insulated Water Bottle 32 oz, Slate", 24.95),
        ("EO-LAMP-300", "Rechargeable LED Camp Lantern 300 lm", 32.50),
        ("EO-SOCK-M", "Merino Hiking Socks, 3 Pack, Medium", 19.99),
    ),
    SELLERS[1].partner_id: (
        ("HH-TOWEL-6", "Turkish Cotton Bath Towels, Set of 6, White", 59.00),
        ("HH-MUG-4", "Stoneware Coffee Mugs 14 oz, Set of 4", 27.49),
        ("HH-THROW-50", "Chunky Knit Throw Blanket 50x60, Oatmeal", 44.99),
    ),
    SELLERS[2].partner_id: (
        ("ST-DRILL-20V", "20V Cordless Drill Driver Kit", 89.00),
        ("ST-BITS-45", "Titanium Drill Bit Set, 45 Pieces", 21.75),
    ),
}

ADDRESSES = (
    Address("Leslie Rushing", "2421 County Road 310", "Crane Hill", "AL", "35053", "2563384465"),
    Address("Joie Simpkins", "6603 NW 2nd Pl", "Miami", "FL", "33150", "3056008814"),
    Address("Marcus Ortega", "1180 Alder Creek Dr", "Boise", "ID", "83709", "2085550143"),
    Address("Priya Natarajan", "77 Greenway Ter", "Forest Hills", "NY", "11375", "7185550188"),
    Address("Dana Whitfield", "4150 Lakeshore Blvd", "Madison", "WI", "53705", "6085550121"),
)

# Per seller: (hours ago, status of every line, sku indexes with quantities).
ORDER_PLAN: dict[str, tuple[tuple[int, str, tuple[tuple[int, int], ...]], ...]] = {
    SELLERS[0].partner_id: (
        (3, "Created", ((0, 1),)),
        (9, "Created", ((1, 2), (3, 1))),
        (20, "Created", ((2, 1),)),
        (31, "Acknowledged", ((3, 3),)),
        (46, "Acknowledged", ((0, 1), (2, 1))),
        (70, "Shipped", ((1, 1),)),
        (96, "Cancelled", ((2, 1),)),
    ),
    SELLERS[1].partner_id: (
        (5, "Created", ((0, 1),)),
        (27, "Acknowledged", ((1, 2),)),
        (60, "Shipped", ((2, 1),)),
    ),
    SELLERS[2].partner_id: (
        (12, "Created", ((0, 1), (1, 1))),
        (40, "Acknowledged", ((1, 2),)),
    ),
}


def seed_state(now_ms: int) -> WalmartState:
    """A handful of realistic orders per seller, all within Walmart's default 7-day window."""
    state = WalmartState()
    for partner_id, catalog in CATALOG.items():
        for sku, _, _ in catalog:
            state.inventory[(partner_id, sku)] = 25
        for index, (hours, status, items) in enumerate(ORDER_PLAN[partner_id]):
            created = now_ms - hours * HOUR_MS
            order = build_order(state, partner_id, created, ADDRESSES[index % len(ADDRESSES)], items)
            for line in order.lines:
                line.statuses = [_seed_status(status, line.quantity, created, order.purchase_order_id)]
            state.orders[order.purchase_order_id] = order
    return state


def build_order(
    state: WalmartState,
    partner_id: str,
    created_ms: int,
    address: Address,
    items: tuple[tuple[int, int], ...],
) -> Order:
    """A new order of `items` ((catalog index, quantity), ...), every line `Created`."""
    po_id, customer_id = state.new_po_ids()
    catalog = CATALOG[partner_id]
    lines = []
    for number, (index, quantity) in enumerate(items, start=1):
        sku, name, price = catalog[index % len(catalog)]
        lines.append(
            OrderLine(
                number=str(number),
                sku=sku,
                product_name=name,
                unit_price=price,
                shipping=0.0 if price >= 35 else 5.99,
                quantity=quantity,
                statuses=[StatusEntry("Created", quantity)],
                status_ms=created_ms,
            )
        )
    return Order(po_id, customer_id, partner_id, created_ms, created_ms, "Standard", address, lines)


def _seed_status(status: str, quantity: int, created_ms: int, po_id: str) -> StatusEntry:
    if status == "Shipped":
        tracking = Tracking(
            created_ms + 20 * HOUR_MS,
            "UPS",
            None,
            "Standard",
            f"1Z999AA1{po_id[-10:]}",
            f"https://www.walmart.com/tracking?tracking_id=1Z999AA1{po_id[-10:]}",
        )
        return StatusEntry("Shipped", quantity, tracking)
    if status == "Cancelled":
        return StatusEntry("Cancelled", quantity, cancellation_reason="CUSTOMER_REQUESTED_SELLER_TO_CANCEL")
    return StatusEntry(status, quantity)
