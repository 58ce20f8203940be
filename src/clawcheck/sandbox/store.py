"""In-memory state, one `Shop` per shop id, provisioned on first use.

Records are mutable on purpose: they are the sandbox's database rows. All
mutation happens on the server's event loop, and the clean code paths never
await between reading and writing a row, which is what keeps stock consistent.
"""

from __future__ import annotations

import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from clawcheck.sandbox.errors import validation_error

__all__ = [
    "Buyer",
    "Delivery",
    "IdempotencyRecord",
    "Level",
    "Order",
    "OrderLine",
    "Reservation",
    "Shipment",
    "ShipmentEvent",
    "Shop",
    "Store",
    "Subscription",
    "new_id",
]

SHOP_ID = re.compile(r"shop_[A-Za-z0-9_-]{1,60}", re.ASCII)
# Bounds, so that a long fuzz run with random shop ids and keys cannot grow memory for ever.
IDEMPOTENCY_RECORDS_PER_SHOP = 10_000  # the oldest key is forgotten first
MAX_SHOPS = 10_000  # the oldest provisioned shop is dropped first (never a seeded one)
DELIVERIES_PER_SUBSCRIPTION = 10_000  # the oldest finished delivery is forgotten first; pending ones never
PREVIOUS_SECRETS = 4  # secrets still signing after rotations in quick succession, newest first


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


@dataclass(frozen=True, slots=True)
class Buyer:
    name: str
    email: str | None
    country: str


@dataclass(frozen=True, slots=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(slots=True)
class Order:
    order_id: str
    shop_id: str
    seq: int  # position in Shop.order_log; cursors point at it
    platform: str
    platform_order_id: str
    currency: str
    buyer: Buyer
    lines: tuple[OrderLine, ...]
    warehouse_id: str
    total: Decimal
    placed_at: datetime
    created_at: datetime
    updated_at: datetime
    status: str = "created"
    refunded: Decimal = Decimal("0.00")
    # The rendered JSON, kept until the next change: reads are the hot path.
    rendered: bytes | None = field(default=None, repr=False, compare=False)

    def move(self, status: str, now: datetime) -> None:
        self.status, self.updated_at, self.rendered = status, now, None

    def refund(self, amount: Decimal, now: datetime) -> None:
        self.refunded += amount
        self.move("refunded" if self.refunded == self.total else self.status, now)


@dataclass(slots=True)
class Level:
    sku: str
    warehouse_id: str
    updated_at: datetime
    on_hand: int = 0
    reserved: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(slots=True)
class Reservation:
    reservation_id: str
    sku: str
    warehouse_id: str
    quantity: int
    order_id: str | None
    created_at: datetime
    status: str = "active"
    released_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ShipmentEvent:
    event_id: str
    type: str
    occurred_at: datetime
    location: str | None
    detail: str | None
    recorded_at: datetime


@dataclass(slots=True)
class Shipment:
    shipment_id: str
    order_id: str
    carrier: str
    tracking_number: str
    shipped_at: datetime
    created_at: datetime
    updated_at: datetime
    status: str = "in_transit"
    events: list[ShipmentEvent] = field(default_factory=list)


@dataclass(slots=True)
class Delivery:
    """One event on its way to one subscription: the delivery log's row, and the retry state."""

    seq: int  # per subscription, increasing: the delivery log's order and cursor
    event_id: str
    event_type: str
    body: bytes  # rendered once, when the event happened; every attempt sends these bytes
    created_at: datetime
    status: str = "pending"  # pending -> delivered | failed
    attempts: int = 0
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None
    next_attempt_at: datetime | None = None  # None while an attempt is in flight or once finished


@dataclass(slots=True)
class Subscription:
    subscription_id: str
    url: str
    event_types: tuple[str, ...]
    secret: str
    created_at: datetime
    status: str = "active"
    # Secrets replaced by a rotation that still sign until their epoch second: (secret, until).
    previous_secrets: list[tuple[str, float]] = field(default_factory=list, repr=False)
    deliveries: list[Delivery] = field(default_factory=list, repr=False)
    next_seq: int = 0

    def signing_secrets(self, now: float) -> list[str]:
        """The current secret, then every replaced one whose overlap has not ended at `now`."""
        self.previous_secrets = [(s, until) for s, until in self.previous_secrets if until > now]
        return [self.secret, *(s for s, _ in self.previous_secrets)]

    def rotate(self, secret: str, overlap: float, now: float) -> float | None:
        """Sign with `secret` from now on, and with the replaced one for `overlap` more seconds.

        Returns when the replaced secret stops signing (None: at once)."""
        replaced = self.secret
        self.secret = secret
        kept = [(s, until) for s, until in self.previous_secrets if until > now and s != secret]
        until = now + overlap if overlap > 0 and replaced != secret else None
        if until is not None:
            kept.insert(0, (replaced, until))
        self.previous_secrets = kept[:PREVIOUS_SECRETS]
        return until

    def record(self, event_id: str, event_type: str, body: bytes, now: datetime) -> Delivery:
        """A new pending delivery in the log, due now."""
        delivery = Delivery(self.next_seq, event_id, event_type, body, now, next_attempt_at=now)
        self.next_seq += 1
        log = self.deliveries
        log.append(delivery)
        if len(log) > DELIVERIES_PER_SUBSCRIPTION:
            finished = next((i for i, d in enumerate(log) if d.status != "pending"), None)
            if finished is not None:
                del log[finished]
        return delivery


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """A processed outcome, replayed byte for byte."""

    fingerprint: str
    status: int
    body: bytes
    trace_id: str


@dataclass(slots=True)
class Shop:
    shop_id: str
    orders: dict[str, Order] = field(default_factory=dict)
    order_log: list[Order] = field(default_factory=list)
    platform_orders: dict[tuple[str, str], str] = field(default_factory=dict)
    levels: dict[str, dict[str, Level]] = field(default_factory=dict)  # sku -> warehouse -> level
    reservations: dict[str, Reservation] = field(default_factory=dict)
    shipments: dict[str, Shipment] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    idempotency: OrderedDict[str, IdempotencyRecord] = field(default_factory=OrderedDict)

    def level(self, sku: str, warehouse_id: str) -> Level | None:
        by_warehouse = self.levels.get(sku)
        return None if by_warehouse is None else by_warehouse.get(warehouse_id)

    def level_or_create(self, sku: str, warehouse_id: str, now: datetime) -> Level:
        by_warehouse = self.levels.setdefault(sku, {})
        found = by_warehouse.get(warehouse_id)
        if found is None:
            found = by_warehouse[warehouse_id] = Level(sku, warehouse_id, now)
        return found

    def remember(self, key: str, record: IdempotencyRecord) -> None:
        self.idempotency[key] = record
        if len(self.idempotency) > IDEMPOTENCY_RECORDS_PER_SHOP:
            self.idempotency.popitem(last=False)


class Store:
    """All shops of one sandbox."""

    __slots__ = ("_keep", "_shops")

    def __init__(self) -> None:
        self._shops: dict[str, Shop] = {}  # insertion-ordered: oldest first
        self._keep: set[str] = set()  # seeded shops, never evicted

    def shop(self, shop_id: str | None) -> Shop:
        """The shop named by the header, provisioned empty on first use."""
        found = self._shops.get(shop_id) if shop_id else None
        if found is not None:
            return found
        if shop_id is None or SHOP_ID.fullmatch(shop_id) is None:
            raise validation_error(
                "header X-OpenClaw-Shop-Id is required and must match ^shop_[A-Za-z0-9_-]{1,60}$",
                code="SHOP_ID_REQUIRED",
            )
        if len(self._shops) >= MAX_SHOPS:
            oldest = next(s for s in self._shops if s not in self._keep)
            del self._shops[oldest]
        created = self._shops[shop_id] = Shop(shop_id)
        return created

    def seed(self, shop_id: str, stock: dict[str, dict[str, int]], now: datetime) -> None:
        """Put stock into a shop: sku -> warehouse -> on hand."""
        shop = self.shop(shop_id)
        self._keep.add(shop_id)
        for sku, by_warehouse in stock.items():
            for warehouse_id, quantity in by_warehouse.items():
                shop.level_or_create(sku, warehouse_id, now).on_hand += quantity

    def __len__(self) -> int:
        return len(self._shops)
