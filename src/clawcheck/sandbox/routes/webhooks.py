"""Webhook subscriptions: the secret is shown once, on create, and never again."""

from __future__ import annotations

import secrets

from clawcheck.sandbox import render
from clawcheck.sandbox.errors import not_found, validation_error
from clawcheck.sandbox.patterns import URL
from clawcheck.sandbox.pipeline import Call, Operation, Reply
from clawcheck.sandbox.store import Shop, Subscription, new_id
from clawcheck.sandbox.validation import Reader

__all__ = ["EVENT_TYPES", "RESOURCES"]

EVENT_TYPES = frozenset(
    {
        "order.created",
        "order.paid",
        "order.cancelled",
        "order.refunded",
        "order.delivered",
        "shipment.confirmed",
        "shipment.exception",
        "inventory.adjusted",
    }
)


def _find(shop: Shop, subscription_id: str) -> Subscription:
    found = shop.subscriptions.get(subscription_id)
    if found is None:
        raise not_found("SUBSCRIPTION_NOT_FOUND", f"no subscription {subscription_id!r} in this shop")
    return found


async def create_subscription(call: Call) -> Reply:
    r = Reader(call.body.object(), required=("url", "event_types"), optional=("secret",))
    url = r.text("url", pattern=URL, max_len=2048)
    wanted = r.array("event_types", min_items=1, max_items=len(EVENT_TYPES))
    for item in wanted:
        if not isinstance(item, str) or item not in EVENT_TYPES:
            raise validation_error(
                f"field 'event_types' items must be one of {', '.join(sorted(EVENT_TYPES))}"
            )
    if len(set(wanted)) != len(wanted):
        raise validation_error("field 'event_types' must not repeat an event type")
    secret = r.opt_text("secret", min_len=16, max_len=128) or f"whsec_{secrets.token_urlsafe(24)}"
    created = Subscription(new_id("sub"), url, tuple(wanted), secret, call.now)
    call.shop.subscriptions[created.subscription_id] = created
    return Reply(201, render.subscription(created, call.rt.fmt, with_secret=True))


async def list_subscriptions(call: Call) -> Reply:
    fmt = call.rt.fmt
    return Reply(200, {"data": [render.subscription(s, fmt) for s in call.shop.subscriptions.values()]})


async def get_subscription(call: Call) -> Reply:
    return Reply(200, render.subscription(_find(call.shop, call.params["subscription_id"]), call.rt.fmt))


async def delete_subscription(call: Call) -> Reply:
    shop = call.shop
    del shop.subscriptions[_find(shop, call.params["subscription_id"]).subscription_id]
    return Reply(204)


RESOURCES: list[tuple[str, list[Operation]]] = [
    (
        "/v2/webhooks/subscriptions",
        [Operation("POST", create_subscription, idempotent=True), Operation("GET", list_subscriptions)],
    ),
    (
        "/v2/webhooks/subscriptions/{subscription_id}",
        [Operation("GET", get_subscription), Operation("DELETE", delete_subscription)],
    ),
]
