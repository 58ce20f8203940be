"""Rules 2.2 and 2.3 (the rejecting side): what a receiver must refuse, and must not process.

Each forgery below is two registered checks:

- `webhook.<name>`: every such delivery is answered 400 or 401 (wire);
- `webhook.<name>_processed`: none of them is processed, by the probe (processing).

Then `webhook.after_forgery_processed` (a refused delivery leaves no trace that blocks the
genuine one) and `webhook.bad_input_no_5xx` (odd input never gets a 5xx).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from clawcheck.webhooks.checks._base import CheckFailed, CheckKind, check
from clawcheck.webhooks.context import Context
from clawcheck.webhooks.evidence import summary
from clawcheck.webhooks.sender import (
    ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Delivery,
    body_only_signature,
    new_event_id,
    other_secret,
)

__all__ = ["FORGERIES", "Forgery"]

OUTSIDE_S = 301  # "more than 300 s from its own clock"
REPLAYED_S = 400  # how old the signature of a replayed delivery with a fresh timestamp is


@dataclass(frozen=True, slots=True)
class Forgery:
    name: str
    what: str  # "a delivery without X-OpenClaw-Signature": reads in both checks' messages
    title_zh: str
    rule: str
    make: Callable[[Context], list[Delivery]]


def _missing(header: str) -> Callable[[Context], list[Delivery]]:
    return lambda ctx: [ctx.delivery().without(header, note=f"no {header} header")]


def _wrong_secret(ctx: Context) -> list[Delivery]:
    return [ctx.delivery(keys=[other_secret()], note="signed with a secret that is not the receiver's")]


def _altered_body(ctx: Context) -> list[Delivery]:
    delivery = ctx.delivery()
    event = json.loads(delivery.body)
    event["data"]["status"] = "cancelled"
    altered = json.dumps(event, separators=(",", ":")).encode()
    return [delivery.with_body(altered, note="body changed after signing (data.status)")]


def _altered_id(ctx: Context) -> list[Delivery]:
    delivery = ctx.delivery()
    fake = new_event_id()
    altered = delivery.with_headers({ID_HEADER: fake}, note=f"{ID_HEADER} changed after signing")
    return [replace(altered, probe_ids=(delivery.event_id, fake))]


def _altered_timestamp(ctx: Context) -> list[Delivery]:
    now = int(time.time())
    delivery = ctx.delivery(timestamp=now - REPLAYED_S)
    note = f"signed {REPLAYED_S} s ago, {TIMESTAMP_HEADER} changed to now (a replay made to look fresh)"
    return [delivery.with_headers({TIMESTAMP_HEADER: str(now)}, note=note)]


def _body_only(ctx: Context) -> list[Delivery]:
    delivery = ctx.delivery()
    signature = body_only_signature(ctx.settings.secret, delivery.body)
    note = "v1= HMAC over the raw body only, without id and timestamp"
    return [delivery.with_headers({SIGNATURE_HEADER: signature}, note=note)]


def _non_json(ctx: Context) -> list[Delivery]:
    bodies = {
        "text": b"this is not JSON",
        "empty": b"",
        "not UTF-8": b'\xff\xfe{"id": 1}',
    }
    return [
        ctx.delivery(body=body, note=f"validly signed, body not JSON ({kind})")
        for kind, body in bodies.items()
    ]


def _stale(ctx: Context) -> list[Delivery]:
    stamp = math.floor(time.time()) - OUTSIDE_S
    return [ctx.delivery(timestamp=stamp, note=f"validly signed {OUTSIDE_S} s ago")]


def _future(ctx: Context) -> list[Delivery]:
    stamp = math.ceil(time.time()) + OUTSIDE_S
    return [ctx.delivery(timestamp=stamp, note=f"validly signed {OUTSIDE_S} s in the future")]


FORGERIES: tuple[Forgery, ...] = (
    Forgery("missing_signature", f"a delivery without {SIGNATURE_HEADER}", "缺少签名头", "2.2",
            _missing(SIGNATURE_HEADER)),
    Forgery("missing_timestamp", f"a delivery without {TIMESTAMP_HEADER}", "缺少时间戳头", "2.2",
            _missing(TIMESTAMP_HEADER)),
    Forgery("missing_event_id", f"a delivery without {ID_HEADER}", "缺少事件 ID 头", "2.2",
            _missing(ID_HEADER)),
    Forgery("wrong_secret", "a delivery signed with another secret", "错误密钥签名", "2.2", _wrong_secret),
    Forgery("altered_body", "a delivery whose body was changed after signing", "篡改的请求体", "2.2",
            _altered_body),
    Forgery("altered_id", f"a delivery whose {ID_HEADER} was changed after signing", "篡改的事件 ID", "2.2",
            _altered_id),
    Forgery("altered_timestamp", f"a delivery whose {TIMESTAMP_HEADER} was changed after signing",
            "篡改的时间戳", "2.2", _altered_timestamp),
    Forgery("body_only_signature", "a delivery signed over the body alone (no id, no timestamp)",
            "仅对请求体签名", "2.2", _body_only),
    Forgery("non_json_body", "a validly signed delivery whose body is not JSON", "请求体不是 JSON", "2.2",
            _non_json),
    Forgery("stale_timestamp", f"a validly signed delivery {OUTSIDE_S} s old", "时间戳过旧（超过 300 秒）",
            "2.3", _stale),
    Forgery("future_timestamp", f"a validly signed delivery {OUTSIDE_S} s in the future",
            "时间戳超前（超过 300 秒）", "2.3", _future),
)  # fmt: skip


def _register(forgery: Forgery) -> None:
    def rejected(ctx: Context) -> str:
        exchanges = [ctx.deliver(d) for d in forgery.make(ctx)]
        for exchange in exchanges:
            if not exchange.rejected:
                raise CheckFailed(
                    f"{forgery.what} ({exchange.delivery.note}) was answered {exchange.answer()}; "
                    "expected 400 or 401",
                    exchange,
                    exchanges=exchanges if len(exchanges) > 1 else (),
                )
        return "answered " + ", ".join(str(e.status) for e in exchanges)

    def not_processed(ctx: Context) -> str:
        ctx.require_processed()
        exchanges = [ctx.deliver(d) for d in forgery.make(ctx)]
        for exchange in exchanges:
            counts = ctx.counts(exchange.delivery.ids())
            if any(counts.values()):
                raise CheckFailed(
                    f"{forgery.what} ({exchange.delivery.note}) was answered {exchange.answer()} and "
                    f"processed according to the probe {counts}; a refused delivery must not be processed",
                    exchange,
                    probe=counts,
                )
        return f"not processed (probe: 0 for {len(exchanges)} deliver{'y' if len(exchanges) == 1 else 'ies'})"

    check(
        f"webhook.{forgery.name}",
        title=f"{forgery.what[0].upper()}{forgery.what[1:]} is answered 400 or 401",
        title_zh=f"{forgery.title_zh}：返回 400 或 401",
        kind=CheckKind.WIRE,
        rule=forgery.rule,
    )(rejected)
    check(
        f"webhook.{forgery.name}_processed",
        title=f"{forgery.what[0].upper()}{forgery.what[1:]} is not processed",
        title_zh=f"{forgery.title_zh}：不被处理",
        kind=CheckKind.PROCESSING,
        rule=forgery.rule,
    )(not_processed)


for _forgery in FORGERIES:
    _register(_forgery)


@check(
    "webhook.after_forgery_processed",
    title="After a forged delivery of an event id, the genuine one is still accepted and processed once",
    title_zh="伪造投递之后，同一事件的真实投递仍被接受并处理一次",
    kind=CheckKind.PROCESSING,
    rule="2.2",
)
def after_forgery_processed(ctx: Context) -> str:
    ctx.require_accepted()
    ctx.require_processed()
    genuine = ctx.delivery(note="the genuine delivery, sent after a forged one of the same event")
    forged = ctx.delivery(
        genuine.event_id,
        timestamp=genuine.timestamp,
        body=genuine.body,
        keys=[other_secret()],
        note="the same event signed with another secret, sent first",
    )
    first = ctx.deliver(forged)
    after_forged = ctx.counts([genuine.event_id])[genuine.event_id]
    if after_forged:
        raise CheckFailed(
            f"a forged delivery (answered {first.answer()}) was processed {after_forged} times; "
            "a refused delivery must not be processed",
            first,
            probe={"after the forged delivery": after_forged},
        )
    second = ctx.deliver(genuine)
    after_genuine = ctx.wait_for(genuine.event_id, 1)
    if not second.accepted or after_genuine != 1:
        raise CheckFailed(
            f"after a forged delivery of {genuine.event_id} (answered {first.answer()}), the genuine one was "
            f"answered {second.answer()} and processed {after_genuine} times; expected 2xx and exactly 1 "
            "(does the receiver record the event id before verifying the signature?)",
            second,
            exchanges=(first, second),
            probe={"after the forged delivery": after_forged, "after the genuine delivery": after_genuine},
        )
    return (
        f"forged one answered {first.status}, not processed; genuine one answered {second.status}, "
        "processed once"
    )


def _event(event_id: str, event_type: object) -> bytes:
    return json.dumps({"id": event_id, "type": event_type}).encode()


def _battery(ctx: Context) -> list[Delivery]:
    """Odd input outside the named forgeries: malformed headers, JSON that is not an event."""
    good = ctx.delivery()
    hexdigest = good.headers[SIGNATURE_HEADER].removeprefix("v1=")
    other = ctx.delivery(good.event_id, timestamp=good.timestamp, body=good.body, keys=[other_secret()])
    malformed = [
        ({SIGNATURE_HEADER: "v1=" + "zz" * 32}, "signature entry is not hex"),
        ({SIGNATURE_HEADER: "v1="}, "signature entry is empty"),
        ({SIGNATURE_HEADER: hexdigest}, "signature without the v1= prefix"),
        ({SIGNATURE_HEADER: "v2=" + hexdigest}, "only an unknown signature version (v2=)"),
        (
            {SIGNATURE_HEADER: f"{other.headers[SIGNATURE_HEADER]}  v1={hexdigest}"},
            "two signature entries separated by two spaces",
        ),
        ({TIMESTAMP_HEADER: "abc"}, "timestamp is not a number"),
        ({TIMESTAMP_HEADER: "-1"}, "timestamp is negative"),
        ({TIMESTAMP_HEADER: "1.7e9"}, "timestamp in exponent notation"),
        ({TIMESTAMP_HEADER: "9" * 5000}, "timestamp of 5000 digits"),
        ({ID_HEADER: "evt_" + "x" * 1000}, "event id of 1004 characters"),
    ]
    deliveries = [ctx.delivery().with_headers(change, note=note) for change, note in malformed]
    odd_bodies: list[tuple[Callable[[str], bytes], str]] = [
        (lambda _: b"[]", "validly signed JSON array"),
        (lambda _: b"null", "validly signed JSON null"),
        (lambda _: b"{}", "validly signed empty JSON object"),
        (lambda _: _event(new_event_id(), "order.created"), "body id differs from the header"),
        (lambda event_id: _event(event_id, 42), "event type is a number"),
        (lambda _: b"[" * 2000 + b"]" * 2000, "validly signed JSON nested 2000 deep"),
    ]
    for make, note in odd_bodies:
        event_id = new_event_id()
        deliveries.append(ctx.delivery(event_id, body=make(event_id), note=note))
    return deliveries


@check(
    "webhook.bad_input_no_5xx",
    title="Malformed headers and odd JSON never get a 5xx (or no answer)",
    title_zh="任何错误输入都不返回 5xx",
    kind=CheckKind.WIRE,
    rule="2.2",
)
def bad_input_no_5xx(ctx: Context) -> str:
    exchanges = [ctx.deliver(d) for d in _battery(ctx)]
    broken = [e for e in exchanges if e.server_error]
    if broken:
        listed = "; ".join(f"{e.delivery.note} -> {e.answer()}" for e in broken)
        raise CheckFailed(
            f"{len(broken)} of {len(exchanges)} bad inputs got a 5xx or no answer ({listed}); bad input "
            "must be answered 4xx (400 or 401), never 5xx",
            broken[0],
            deliveries=summary(exchanges),
        )
    statuses = sorted({str(e.status) for e in exchanges})
    return f"{len(exchanges)} bad inputs answered {', '.join(statuses)}"
