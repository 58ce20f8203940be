"""Rate limiting: the per-shop limit is enforced, and every 429 says when to come back."""

from __future__ import annotations

import re
import secrets
import time
from concurrent.futures import ThreadPoolExecutor

from clawcheck.contract.checks._base import (
    CheckFailed,
    CheckInput,
    CheckKind,
    NotVerifiable,
    ScenarioInput,
    check,
)
from clawcheck.contract.exchange import Exchange, SentRequest

_WHOLE_SECONDS = re.compile(r"^\d+$")
BURST_PATH = "/v2/orders?limit=1"
BURST_OPERATION = "GET /v2/orders"
RATE_LIMIT_SHOP = "shop_ccratelimit"
MAX_BURST = 100  # load stays bounded: a limit too high to exceed with this many is reported unverifiable


@check(
    "ratelimit.retry_after",
    title="Every 429 carries Retry-After in whole seconds",
    title_zh="每个 429 响应带 Retry-After（整数秒）",
    kind=CheckKind.RESPONSE,
)
def retry_after(ctx: CheckInput) -> bool:
    """A 429 has `Retry-After: <n>` with n >= 1 and an error of type rate_limit."""
    ex = ctx.exchange
    if ex.status != 429:
        return False
    value = ex.header("retry-after")
    if value is None:
        raise CheckFailed("429 without a Retry-After header: clients cannot know when to retry", ex)
    if not _WHOLE_SECONDS.match(value.strip()) or int(value) < 1:
        raise CheckFailed(f"429 Retry-After is {value!r}; the protocol wants whole seconds, at least 1", ex)
    body = ex.json()
    error = body.get("error") if isinstance(body, dict) else None
    # A malformed envelope is errors.envelope's to report; this check judges only the type it can read.
    if isinstance(error, dict) and error.get("type") != "rate_limit":
        raise CheckFailed(f"429 error type is {error.get('type')!r}, expected 'rate_limit'", ex)
    return True


@check(
    "ratelimit.enforced",
    title="The per-shop rate limit is enforced with 429",
    title_zh="按店铺限流（超限返回 429）",
    kind=CheckKind.SCENARIO,
)
def rate_limit_enforced(ctx: ScenarioInput) -> str:
    """A burst well over the per-shop limit from an idle shop gets 429s, and the limit is not stricter."""
    client, settings = ctx.client, ctx.settings
    # On the embedded sandbox a fresh shop has a full bucket; a real target's shop must idle first.
    shop = f"{RATE_LIMIT_SHOP}{secrets.token_hex(4)}" if settings.embedded else settings.shops[0]
    limit = settings.rate_limit
    burst = min(int(limit * 2) + 5, MAX_BURST)
    request = SentRequest("GET", client.url(BURST_PATH), client.auth_headers(shop))
    if not settings.embedded:
        time.sleep(1.1)  # let the shop's bucket refill after earlier traffic
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        exchanges = list(pool.map(lambda _: client.send(BURST_OPERATION, request), range(burst)))
    elapsed = time.perf_counter() - started
    for exchange in exchanges:
        ctx.observe(exchange)
    limited = [ex for ex in exchanges if ex.status == 429]
    served = [ex for ex in exchanges if ex.status < 400]
    allowed = limit * (1 + elapsed)  # a full bucket plus what refills during the burst
    if not limited:
        if burst <= allowed:
            raise NotVerifiable(
                f"sent {burst} requests in {elapsed:.2f} s, too slowly to exceed {limit:g}/s; the limit "
                "could not be observed"
            )
        raise CheckFailed(
            f"{burst} requests to shop {shop} in {elapsed:.2f} s (limit {limit:g}/s) got no 429; "
            f"statuses: {_statuses(exchanges)}",
            exchanges[-1],
        )
    if len(served) < int(limit * 0.8):
        raise CheckFailed(
            f"an idle shop got only {len(served)} of {burst} requests served before 429; the protocol "
            f"allows {limit:g} per second",
            limited[0],
        )
    return f"{len(limited)} of {burst} requests in {elapsed:.2f} s answered 429 ({len(served)} served)"


def _statuses(exchanges: list[Exchange]) -> str:
    counts: dict[int, int] = {}
    for ex in exchanges:
        counts[ex.status] = counts.get(ex.status, 0) + 1
    return ", ".join(f"{status}×{n}" for status, n in sorted(counts.items()))
