"""Authentication is enforced: no token, a bad token and an expired token each get their 401."""

from __future__ import annotations

import secrets
import time

from clawcheck.contract.checks._base import (
    CheckFailed,
    CheckInput,
    CheckKind,
    NotVerifiable,
    ScenarioInput,
    check,
)
from clawcheck.contract.exchange import Exchange, SentRequest

PROBE_PATH = "/v2/orders?limit=1"
PROBE_OPERATION = "GET /v2/orders"


def _expect_401(ex: Exchange, code: str, what: str) -> None:
    if ex.status != 401 or ex.error_code() != code:
        raise CheckFailed(f"{what} answered {ex.summary()}, expected 401 {code}", ex)


def _probe_applies(ctx: CheckInput) -> bool:
    # Only operations that need a token, and only requests the target did not already refuse for auth.
    return ctx.prober is not None and ctx.operation.requires_auth and ctx.exchange.status != 401


@check(
    "auth.missing",
    title="A request without a token is refused with 401 AUTH_MISSING",
    title_zh="无令牌请求返回 401 AUTH_MISSING",
    kind=CheckKind.PROBE,
)
def missing_token(ctx: CheckInput) -> bool:
    """The same request without Authorization gets 401 AUTH_MISSING (auth is decided before validation)."""
    if not _probe_applies(ctx):
        return False
    assert ctx.prober is not None
    probe = ctx.prober.resend(ctx.exchange, ctx.exchange.request.with_headers(Authorization=None))
    _expect_401(probe, "AUTH_MISSING", "the same request without Authorization")
    return True


@check(
    "auth.invalid_token",
    title="A request with an unknown token is refused with 401 AUTH_INVALID_TOKEN",
    title_zh="无效令牌返回 401 AUTH_INVALID_TOKEN",
    kind=CheckKind.PROBE,
)
def invalid_token(ctx: CheckInput) -> bool:
    """The same request with a well-formed but unknown bearer token gets 401 AUTH_INVALID_TOKEN."""
    if not _probe_applies(ctx):
        return False
    assert ctx.prober is not None
    forged = f"Bearer clawcheck-invalid-{secrets.token_hex(16)}"
    probe = ctx.prober.resend(ctx.exchange, ctx.exchange.request.with_headers(Authorization=forged))
    _expect_401(probe, "AUTH_INVALID_TOKEN", "the same request with an unknown token")
    return True


@check(
    "auth.expired_token",
    title="A request with an expired token is refused with 401 AUTH_TOKEN_EXPIRED",
    title_zh="过期令牌返回 401 AUTH_TOKEN_EXPIRED",
    kind=CheckKind.SCENARIO,
)
def expired_token(ctx: ScenarioInput) -> str:
    """A real token, used after its `expires_in` has passed, gets 401 AUTH_TOKEN_EXPIRED."""
    client, settings = ctx.client, ctx.settings
    shop = settings.shops[0]
    if settings.expired_token:
        token, how = settings.expired_token, "the configured expired token"
    else:
        fresh = client.request_token()
        if fresh.expires_in > settings.max_token_wait:
            raise NotVerifiable(
                f"tokens live {fresh.expires_in:g} s, longer than this run waits "
                f"({settings.max_token_wait:g} s); "
                "pass --expired-token or set OPENCLAW_EXPIRED_TOKEN to a token that has expired"
            )
        time.sleep(max(0.0, fresh.expires_at - time.monotonic()) + 1.0)
        token, how = fresh.access_token, f"a token {fresh.expires_in:g} s after issue"
    request = SentRequest(
        "GET", client.url(PROBE_PATH), {"Authorization": f"Bearer {token}", "X-OpenClaw-Shop-Id": shop}
    )
    exchange = client.send(PROBE_OPERATION, request, shop=shop)
    ctx.observe(exchange)
    _expect_401(exchange, "AUTH_TOKEN_EXPIRED", f"a request with {how}")
    return f"{how} was refused with 401 AUTH_TOKEN_EXPIRED"
