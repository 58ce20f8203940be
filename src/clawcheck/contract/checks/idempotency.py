"""Idempotency: a replay returns the first answer and changes nothing; a reused key with
another body is 409."""

from __future__ import annotations

from clawcheck.contract.checks._base import CheckFailed, CheckInput, CheckKind, check
from clawcheck.contract.exchange import SentRequest
from clawcheck.core.jsondiff import first_difference

KEY_HEADER = "Idempotency-Key"


def _applies(ctx: CheckInput) -> bool:
    ex = ctx.exchange
    return (
        ctx.prober is not None
        and ctx.operation.state_changing
        and 200 <= ex.status < 300
        and bool(ex.request.header(KEY_HEADER))
    )


@check(
    "idempotency.replay",
    title="Same Idempotency-Key and body: same response, no second effect",
    title_zh="相同幂等键与请求体：返回首次结果且无重复副作用",
    kind=CheckKind.PROBE,
)
def replay(ctx: CheckInput) -> bool:
    """Re-sending a successful request with its key returns the same status and body, and the
    resources it links to (spec links to read operations) read the same before and after."""
    if not _applies(ctx):
        return False
    assert ctx.prober is not None
    ex, prober = ctx.exchange, ctx.prober
    before = prober.reads(ex)
    again = prober.resend(ex, ex.request.with_headers(Authorization=f"Bearer {prober.fresh_token()}"))
    if again.status != ex.status:
        raise CheckFailed(
            f"replay with the same Idempotency-Key answered {again.summary()}; "
            f"the first answer was {ex.status}",
            again,
            first=ex.request.curl(),
        )
    diff = first_difference(ex.json(), again.json())
    if diff is not None:
        pointer, first, second = diff
        raise CheckFailed(
            f"replay with the same Idempotency-Key answered a different body at {pointer}: "
            f"{second!r}, the first answer had {first!r} (the request ran twice)",
            again,
            first=ex.request.curl(),
        )
    for read_before, read_after in zip(before, prober.reads(ex), strict=True):
        # [status, body]: a changed status is reported first, at /0; the body's changes at /1/...
        change = first_difference(
            [read_before.status, read_before.json()], [read_after.status, read_after.json()]
        )
        if change is not None:
            pointer, old, new = change
            raise CheckFailed(
                f"the replay changed state: {read_after.operation} reads {new!r} at {pointer} "
                f"after it, {old!r} before it",
                again,
                first=ex.request.curl(),
                read=read_after.request.curl(),
            )
    return True


@check(
    "idempotency.key_reuse",
    title="Same Idempotency-Key with a different body: 409 IDEMPOTENCY_KEY_REUSED",
    title_zh="相同幂等键不同请求体返回 409 IDEMPOTENCY_KEY_REUSED",
    kind=CheckKind.PROBE,
)
def key_reuse(ctx: CheckInput) -> bool:
    """Re-using a successful request's key with a changed body is refused with 409 IDEMPOTENCY_KEY_REUSED."""
    if not _applies(ctx):
        return False
    assert ctx.prober is not None
    ex, prober = ctx.exchange, ctx.prober
    body = prober.mutated_body(ex)
    if body is None:
        return False
    request = SentRequest(
        ex.request.method,
        ex.request.url,
        {**ex.request.with_headers(Authorization=f"Bearer {prober.fresh_token()}").headers},
        body,
    )
    probe = prober.resend(ex, request)
    if probe.status != 409 or probe.error_code() != "IDEMPOTENCY_KEY_REUSED":
        raise CheckFailed(
            f"the same Idempotency-Key with a different body answered {probe.summary()}, "
            "expected 409 IDEMPOTENCY_KEY_REUSED",
            probe,
            first=ex.request.curl(),
        )
    return True
