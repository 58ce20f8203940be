"""Webhook subscriptions, secret rotation and the delivery log.

The secret is shown by create and rotate only, never by reads. Deliveries themselves
are `clawcheck.sandbox.delivery`'s business; this module only names the receiver.
"""

from __future__ import annotations

import bisect
import secrets
from urllib.parse import urlsplit

from clawcheck.sandbox import paging, render
from clawcheck.sandbox.errors import not_found, validation_error
from clawcheck.sandbox.events import EVENT_TYPES
from clawcheck.sandbox.hosts import ALLOW_HOST_OPTION, LOOPBACK
from clawcheck.sandbox.patterns import URL
from clawcheck.sandbox.pipeline import Call, Operation, Reply
from clawcheck.sandbox.store import Delivery, Shop, Subscription, new_id
from clawcheck.sandbox.timefmt import from_epoch
from clawcheck.sandbox.validation import Reader

__all__ = ["EVENT_TYPES", "RESOURCES"]

DEFAULT_OVERLAP = 86_400  # seconds the replaced secret keeps signing after a rotation
MAX_OVERLAP = 604_800
_CURSOR_TAG = "d"


def _find(shop: Shop, subscription_id: str) -> Subscription:
    found = shop.subscriptions.get(subscription_id)
    if found is None:
        raise not_found("SUBSCRIPTION_NOT_FOUND", f"no subscription {subscription_id!r} in this shop")
    return found


def _new_secret(r: Reader) -> str:
    return r.opt_text("secret", min_len=16, max_len=128) or f"whsec_{secrets.token_urlsafe(24)}"


def _receiver(call: Call, r: Reader) -> str:
    url = r.text("url", pattern=URL, max_len=2048)
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise validation_error("field 'url' must have a port from 1 to 65535 when it names one")
    host = parts.hostname or ""
    if not call.rt.webhooks.allows(host):
        raise validation_error(
            f"field 'url': this sandbox does not deliver webhooks to host {host!r}; it delivers to "
            f"loopback only ({LOOPBACK}) unless the host is allowed: start it with "
            f"`clawcheck sandbox {ALLOW_HOST_OPTION} {host}` (SandboxConfig(webhook_allow_hosts=...))"
        )
    return url


async def create_subscription(call: Call) -> Reply:
    r = Reader(call.body.object(), required=("url", "event_types"), optional=("secret",))
    url = _receiver(call, r)
    wanted = r.array("event_types", min_items=1, max_items=len(EVENT_TYPES))
    for item in wanted:
        if not isinstance(item, str) or item not in EVENT_TYPES:
            raise validation_error(
                f"field 'event_types' items must be one of {', '.join(sorted(EVENT_TYPES))}"
            )
    if len(set(wanted)) != len(wanted):
        raise validation_error("field 'event_types' must not repeat an event type")
    secret = _new_secret(r)
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
    found = _find(shop, call.params["subscription_id"])
    del shop.subscriptions[found.subscription_id]
    call.rt.webhooks.forget(found)
    return Reply(204)


async def rotate_secret(call: Call) -> Reply:
    r = Reader(call.body.object(required=False), required=(), optional=("secret", "overlap_seconds"))
    secret = _new_secret(r)
    overlap = DEFAULT_OVERLAP
    if r.has("overlap_seconds"):
        overlap = r.integer("overlap_seconds", minimum=0, maximum=MAX_OVERLAP)
    found = _find(call.shop, call.params["subscription_id"])
    until = found.rotate(secret, overlap, call.now.timestamp())
    fmt = call.rt.fmt
    shown = render.subscription(found, fmt, with_secret=True)
    shown["previous_secret_expires_at"] = None if until is None else fmt(from_epoch(until))
    return Reply(200, shown)


async def list_deliveries(call: Call) -> Reply:
    query = call.query
    limit = paging.page_limit(query)
    cursor = paging.single(query, "cursor")
    found = _find(call.shop, call.params["subscription_id"])
    log = found.deliveries
    # Newest first: scan down from the newest delivery, or from the first one older than the cursor's.
    index = len(log) - 1
    if cursor is not None:
        seq = paging.cursor_seq(cursor, _CURSOR_TAG, found.next_seq)
        index = bisect.bisect_left(log, seq, key=lambda d: d.seq) - 1
    page: list[Delivery] = log[max(index - limit + 1, 0) : index + 1][::-1]
    more = index - limit >= 0
    fmt = call.rt.fmt
    return Reply(
        200,
        {
            "data": [render.delivery(d, fmt) for d in page],
            "next_cursor": paging.cursor_for(_CURSOR_TAG, page[-1].seq) if more and page else None,
        },
    )


RESOURCES: list[tuple[str, list[Operation]]] = [
    (
        "/v2/webhooks/subscriptions",
        [Operation("POST", create_subscription, idempotent=True), Operation("GET", list_subscriptions)],
    ),
    (
        "/v2/webhooks/subscriptions/{subscription_id}",
        [Operation("GET", get_subscription), Operation("DELETE", delete_subscription)],
    ),
    (
        "/v2/webhooks/subscriptions/{subscription_id}/rotate-secret",
        [Operation("POST", rotate_secret, idempotent=True)],
    ),
    (
        "/v2/webhooks/subscriptions/{subscription_id}/deliveries",
        [Operation("GET", list_deliveries, query=frozenset({"limit", "cursor"}))],
    ),
]
