"""Rule 2.1, 2.3 (the accepting side), 2.4 and 2.6: what a receiver must answer 2xx."""

from __future__ import annotations

import math
import secrets
import time

from clawcheck.webhooks.checks._base import CheckFailed, CheckKind, NotVerifiable, check
from clawcheck.webhooks.context import Context
from clawcheck.webhooks.sender import other_secret

WINDOW_S = 299  # "accepts one within 300 s": a second inside the edge, either way


@check(
    "webhook.valid_accepted",
    title="A valid delivery is answered 2xx",
    title_zh="有效投递返回 2xx",
    kind=CheckKind.WIRE,
    rule="2.1",
)
def valid_accepted(ctx: Context) -> str:
    exchange = ctx.control_exchange()
    if not exchange.accepted:
        raise CheckFailed(
            f"a valid, freshly signed delivery was answered {exchange.answer()}; expected 2xx "
            "(check the secret, and that the signature is computed over the raw body bytes)",
            exchange,
        )
    return f"answered {exchange.status}"


@check(
    "webhook.valid_processed",
    title="A valid delivery is processed exactly once",
    title_zh="有效投递被处理且仅处理一次",
    kind=CheckKind.PROCESSING,
    rule="2.1",
)
def valid_processed(ctx: Context) -> str:
    ctx.require_probe()
    control = ctx.control()
    if control.processed == 1:
        return "processed once (probe: 1)"
    if control.processed == 0 and not control.exchange.accepted:
        raise NotVerifiable(
            f"the delivery was answered {control.exchange.answer()} and not processed, which is "
            "consistent; see webhook.valid_accepted"
        )
    raise CheckFailed(
        f"a valid delivery answered {control.exchange.answer()} is processed {control.processed} times "
        f"according to the probe (read for {ctx.settings.settle:g} s); expected exactly 1",
        control.exchange,
        probe={control.exchange.delivery.event_id: control.processed},
    )


@check(
    "webhook.tolerance_window",
    title="A timestamp 299 s old or 299 s ahead is accepted",
    title_zh="时间戳在 300 秒内（前后）被接受",
    kind=CheckKind.WIRE,
    rule="2.3",
)
def tolerance_window(ctx: Context) -> str:
    ctx.require_accepted()
    now = time.time()
    # ceil/floor: the whole-second timestamp is at most 299 s away from now, never 299.x.
    old = ctx.deliver(ctx.delivery(timestamp=math.ceil(now) - WINDOW_S, note=f"signed {WINDOW_S} s ago"))
    ahead = ctx.deliver(
        ctx.delivery(timestamp=math.floor(now) + WINDOW_S, note=f"signed {WINDOW_S} s in the future")
    )
    for exchange, where in ((old, "old"), (ahead, "ahead")):
        if not exchange.accepted:
            raise CheckFailed(
                f"a valid delivery with a timestamp {WINDOW_S} s {where} was answered {exchange.answer()}; "
                "within 300 s of the receiver's clock, either way, must be accepted (is the tolerance "
                "shorter than 300 s, or the receiver's clock off?)",
                exchange,
                exchanges=(old, ahead),
            )
    return f"{WINDOW_S} s old answered {old.status}, {WINDOW_S} s ahead answered {ahead.status}"


def _rotation(ctx: Context, good_first: bool) -> str:
    ctx.require_accepted()
    other = other_secret()
    keys = [ctx.settings.secret, other] if good_first else [other, ctx.settings.secret]
    shape = "v1=<good> v1=<other secret>" if good_first else "v1=<other secret> v1=<good>"
    exchange = ctx.deliver(ctx.delivery(keys=keys, note=f"X-OpenClaw-Signature: {shape}"))
    if not exchange.accepted:
        raise CheckFailed(
            f"a delivery signed '{shape}' was answered {exchange.answer()}; during secret rotation a "
            "delivery is valid when any one v1 entry matches (split the header on spaces, try each)",
            exchange,
        )
    return f"'{shape}' answered {exchange.status}"


@check(
    "webhook.rotation_second_matches",
    title="Rotated signatures: accepted when the second entry matches (v1=<bad> v1=<good>)",
    title_zh="密钥轮换：第二个签名匹配时接受",
    kind=CheckKind.WIRE,
    rule="2.4",
)
def rotation_second_matches(ctx: Context) -> str:
    return _rotation(ctx, good_first=False)


@check(
    "webhook.rotation_first_matches",
    title="Rotated signatures: accepted when the first entry matches (v1=<good> v1=<other>)",
    title_zh="密钥轮换：第一个签名匹配时接受",
    kind=CheckKind.WIRE,
    rule="2.4",
)
def rotation_first_matches(ctx: Context) -> str:
    return _rotation(ctx, good_first=True)


@check(
    "webhook.unknown_type",
    title="An event type the receiver does not know is answered 2xx",
    title_zh="未知事件类型返回 2xx",
    kind=CheckKind.WIRE,
    rule="2.6",
)
def unknown_type(ctx: Context) -> str:
    ctx.require_accepted()
    event_type = f"clawcheck.unknown_{secrets.token_hex(4)}"
    exchange = ctx.deliver(ctx.delivery(event_type=event_type, note=f"event type {event_type!r}"))
    if not exchange.accepted:
        raise CheckFailed(
            f"a valid delivery of unknown type {event_type!r} was answered {exchange.answer()}; expected "
            "2xx (OpenClaw adds event types; a non-2xx makes it retry for ever)",
            exchange,
        )
    return f"type {event_type!r} answered {exchange.status}"
