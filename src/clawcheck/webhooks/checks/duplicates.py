"""Rule 2.5: each event id is processed at most once, and every copy is still answered 2xx.

Three ways the same event arrives again, each two checks (answered 2xx / processed once):

- duplicate: the same delivery, byte for byte, after the first was answered;
- redelivery: OpenClaw's retry: same event and body, a new timestamp and signature, attempt 2;
- concurrent: `copies` identical deliveries released at the same moment.
"""

from __future__ import annotations

import time

from clawcheck.webhooks.checks._base import CheckFailed, CheckKind, NotVerifiable, check
from clawcheck.webhooks.context import Context
from clawcheck.webhooks.evidence import summary
from clawcheck.webhooks.sender import Delivery, Exchange

RETRY_AFTER_S = 30  # the first attempt of a redelivery is signed this long before the second


def _first_accepted(ctx: Context, delivery: Delivery) -> Exchange:
    first = ctx.deliver(delivery)
    if not first.accepted:
        raise NotVerifiable(
            f"the first delivery was answered {first.answer()}, so the next one is not a duplicate; "
            "see webhook.valid_accepted"
        )
    return first


def _first_processed(ctx: Context, delivery: Delivery) -> tuple[Exchange, int]:
    ctx.require_processed()
    first = ctx.deliver(delivery)
    count = ctx.wait_for(delivery.event_id, 1)
    if count == 0 and not first.accepted:
        raise NotVerifiable(
            f"the first delivery was answered {first.answer()} and not processed; see webhook.valid_accepted"
        )
    if count != 1:
        raise CheckFailed(
            f"the first delivery of {delivery.event_id} (answered {first.answer()}) was processed {count} "
            "times; expected exactly 1",
            first,
            probe={"after the first delivery": count},
        )
    return first, count


def _redelivery(ctx: Context) -> tuple[Delivery, Delivery]:
    now = int(time.time())
    first = ctx.delivery(timestamp=now - RETRY_AFTER_S, note=f"attempt 1, signed {RETRY_AFTER_S} s ago")
    again = ctx.delivery(
        first.event_id,
        timestamp=now,
        attempt=2,
        body=first.body,
        note="attempt 2 of the same event: new timestamp and signature, same body",
    )
    return first, again


@check(
    "webhook.duplicate",
    title="The same delivery again is answered 2xx",
    title_zh="重复投递返回 2xx",
    kind=CheckKind.WIRE,
    rule="2.5",
)
def duplicate(ctx: Context) -> str:
    delivery = ctx.delivery(note="the same delivery, sent twice")
    first = _first_accepted(ctx, delivery)
    second = ctx.deliver(delivery)
    if not second.accepted:
        raise CheckFailed(
            f"the same delivery sent again was answered {second.answer()}; a duplicate must get 2xx "
            "(a non-2xx makes OpenClaw retry for ever)",
            second,
            exchanges=(first, second),
        )
    return f"answered {first.status}, then {second.status}"


@check(
    "webhook.duplicate_processed",
    title="The same delivery again is not processed again",
    title_zh="重复投递只处理一次",
    kind=CheckKind.PROCESSING,
    rule="2.5",
)
def duplicate_processed(ctx: Context) -> str:
    delivery = ctx.delivery(note="the same delivery, sent twice")
    _first_processed(ctx, delivery)
    second = ctx.deliver(delivery)
    count = ctx.counts([delivery.event_id])[delivery.event_id]
    if count != 1:
        raise CheckFailed(
            f"after the same delivery twice, {delivery.event_id} was processed {count} times; expected "
            "exactly 1 (de-duplicate by X-OpenClaw-Event-ID)",
            second,
            probe={"after the first delivery": 1, "after the second": count},
        )
    return "processed once after two identical deliveries"


@check(
    "webhook.redelivery",
    title="A re-signed redelivery (new timestamp, attempt 2, same event id) is answered 2xx",
    title_zh="重新签名的重投（新时间戳，第 2 次尝试）返回 2xx",
    kind=CheckKind.WIRE,
    rule="2.5",
)
def redelivery(ctx: Context) -> str:
    first_delivery, again = _redelivery(ctx)
    first = _first_accepted(ctx, first_delivery)
    second = ctx.deliver(again)
    if not second.accepted:
        raise CheckFailed(
            f"attempt 2 of {again.event_id}, freshly signed, was answered {second.answer()}; a redelivery "
            "must get 2xx",
            second,
            exchanges=(first, second),
        )
    return f"attempt 1 answered {first.status}, attempt 2 answered {second.status}"


@check(
    "webhook.redelivery_processed",
    title="A re-signed redelivery of a processed event is not processed again",
    title_zh="重新签名的重投不重复处理",
    kind=CheckKind.PROCESSING,
    rule="2.5",
)
def redelivery_processed(ctx: Context) -> str:
    first_delivery, again = _redelivery(ctx)
    _first_processed(ctx, first_delivery)
    second = ctx.deliver(again)
    count = ctx.counts([again.event_id])[again.event_id]
    if count != 1:
        raise CheckFailed(
            f"after attempt 2 (new timestamp and signature), {again.event_id} was processed {count} times; "
            "expected exactly 1 (de-duplicate by the event id, not by the signature or timestamp)",
            second,
            probe={"after attempt 1": 1, "after attempt 2": count},
        )
    return "processed once after attempts 1 and 2"


def _copies(ctx: Context) -> list[Exchange]:
    delivery = ctx.delivery(note=f"one of {ctx.settings.copies} identical copies sent at once")
    return ctx.sender.send_together([delivery] * ctx.settings.copies)


@check(
    "webhook.concurrent",
    title="Concurrent copies of one delivery are all answered 2xx",
    title_zh="并发重复投递全部返回 2xx",
    kind=CheckKind.WIRE,
    rule="2.5",
)
def concurrent(ctx: Context) -> str:
    ctx.require_accepted()
    exchanges = _copies(ctx)
    refused = [e for e in exchanges if not e.accepted]
    if refused:
        answers = ", ".join(e.answer() for e in exchanges)
        raise CheckFailed(
            f"{len(refused)} of {len(exchanges)} concurrent copies were not answered 2xx ({answers}); "
            "a copy that arrives while the first is processed must still get 2xx",
            refused[0],
            deliveries=summary(exchanges),
        )
    return f"{len(exchanges)} copies answered " + ", ".join(sorted({str(e.status) for e in exchanges}))


@check(
    "webhook.concurrent_processed",
    title="Concurrent copies of one delivery are processed exactly once",
    title_zh="并发重复投递只处理一次",
    kind=CheckKind.PROCESSING,
    rule="2.5",
)
def concurrent_processed(ctx: Context) -> str:
    ctx.require_processed()
    exchanges = _copies(ctx)
    event_id = exchanges[0].delivery.event_id
    count = ctx.wait_for(event_id, 1)
    if count != 1:
        raise CheckFailed(
            f"{len(exchanges)} concurrent copies of {event_id} were processed {count} times; expected "
            "exactly 1 (claim the event id atomically: a unique key, INSERT ... ON CONFLICT DO NOTHING)",
            exchanges[0],
            probe={event_id: count},
            deliveries=summary(exchanges),
        )
    return f"{len(exchanges)} concurrent copies processed once"
