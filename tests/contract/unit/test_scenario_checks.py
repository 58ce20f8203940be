"""Scenario checks against a real embedded sandbox: clean passes, the matching fault fails.

Sandboxes are shared where a scenario only adds state under a fresh shop of its own. The expiry
wait of auth.expired_token is real in one test and, elsewhere, simulated by moving the
sandbox's injected clock instead of sleeping.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest

from clawcheck.contract.checks import (
    CHECKS,
    CheckFailed,
    CheckInput,
    CheckKind,
    NotVerifiable,
    ScenarioInput,
    load_all,
)
from clawcheck.contract.checks import auth as auth_checks
from clawcheck.contract.client import TargetClient
from clawcheck.contract.exchange import Exchange
from clawcheck.contract.settings import resolve_settings
from clawcheck.sandbox import FAULTS, Sandbox, SandboxConfig

from .helpers import operation

Scenario = tuple[ScenarioInput, list[Exchange]]


class SandboxClock:
    """Epoch seconds for a sandbox that move only when told (token expiry without waiting)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def scenario_on(sandbox: Sandbox, **options: Any) -> Iterator[Scenario]:
    settings = resolve_settings(target=None, embedded_url=sandbox.base_url, env={}, **options)
    client = TargetClient(settings)
    observed: list[Exchange] = []
    try:
        yield ScenarioInput(client, client.settings, observed.append), observed
    finally:
        client.close()


@contextmanager
def scenario(config: SandboxConfig, **options: Any) -> Iterator[Scenario]:
    with Sandbox(config) as sandbox, scenario_on(sandbox, **options) as made:
        yield made


@pytest.fixture(scope="module")
def strict_sandbox() -> Iterator[Sandbox]:
    """A sandbox enforcing 3 requests per second per shop: stricter than the protocol's 10."""
    with Sandbox(SandboxConfig(rate_limit=3)) as sandbox:
        yield sandbox


def run(check_id: str, ctx: ScenarioInput) -> str:
    load_all()
    check = CHECKS.get(check_id)
    assert check.kind is CheckKind.SCENARIO
    result = check.fn(ctx)
    assert isinstance(result, str)
    return result


def assert_response_checks_pass(observed: list[Exchange]) -> None:
    """A clean sandbox's 429s, 409s and 401s from a scenario satisfy every response check."""
    load_all()
    for ex in observed:
        for check in (c for c in CHECKS if c.kind is CheckKind.RESPONSE):
            check.fn(CheckInput(ex, operation(ex.operation)))


def expire_by_clock(monkeypatch: pytest.MonkeyPatch, clock: SandboxClock) -> list[float]:
    """auth.expired_token's wait moves the sandbox clock instead of sleeping (its module only)."""
    asked: list[float] = []

    def sleep(seconds: float) -> None:
        asked.append(seconds)
        clock.advance(seconds)

    monkeypatch.setattr(auth_checks, "time", SimpleNamespace(sleep=sleep, monotonic=time.monotonic))
    return asked


def test_every_scenario_has_its_fault() -> None:
    load_all()
    scenarios = {c.id for c in CHECKS if c.kind is CheckKind.SCENARIO}
    assert scenarios == {"ratelimit.enforced", "auth.expired_token", "inventory.concurrency"}
    assert {FAULTS[name].check_id for name in ("no-rate-limit", "accept-expired-token")} == {
        "ratelimit.enforced",
        "auth.expired_token",
    }
    assert "racy-inventory" in FAULTS


# -- ratelimit.enforced --------------------------------------------------------------------------------------


def test_rate_limit_enforced_passes_on_a_clean_sandbox(clean_sandbox: Sandbox) -> None:
    with scenario_on(clean_sandbox) as (ctx, observed):
        message = run("ratelimit.enforced", ctx)
    assert len(observed) == 25
    assert {ex.status for ex in observed} == {200, 429}
    served = sum(ex.status == 200 for ex in observed)
    assert 10 <= served <= 12  # a full bucket, plus what refills while the burst is under way
    assert re.fullmatch(
        rf"{25 - served} of 25 requests in \d+\.\d\d s answered 429 \({served} served\)", message
    )
    assert_response_checks_pass(observed)


def test_rate_limit_enforced_fails_without_429() -> None:
    with (
        scenario(SandboxConfig(faults=frozenset({"no-rate-limit"}))) as (ctx, observed),
        pytest.raises(CheckFailed) as failed,
    ):
        run("ratelimit.enforced", ctx)
    message = failed.value.message
    assert message.startswith("25 requests to shop shop_ccratelimit")
    assert message.endswith("(limit 10/s) got no 429; statuses: 200×25")
    assert failed.value.exchange is observed[-1]


def test_rate_limit_enforced_fails_when_the_limit_is_stricter_than_the_protocol(
    strict_sandbox: Sandbox,
) -> None:
    with (
        scenario_on(strict_sandbox) as (ctx, _),
        pytest.raises(CheckFailed, match=r"an idle shop got only [34] of 25 requests served before 429; "),
    ):
        run("ratelimit.enforced", ctx)


def test_rate_limit_enforced_uses_the_configured_limit(strict_sandbox: Sandbox) -> None:
    with scenario_on(strict_sandbox, rate_limit=3) as (ctx, observed):
        message = run("ratelimit.enforced", ctx)
    assert len(observed) == 11  # 2 x limit + 5
    assert re.search(r"\([34] served\)$", message)


# -- auth.expired_token --------------------------------------------------------------------------------------


def test_expired_token_passes_on_a_clean_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = SandboxClock()
    waited = expire_by_clock(monkeypatch, clock)
    with scenario(SandboxConfig(token_ttl=1, clock=clock)) as (ctx, observed):
        message = run("auth.expired_token", ctx)
    assert message == "a token 1 s after issue was refused with 401 AUTH_TOKEN_EXPIRED"
    (wait,) = waited
    assert 1.0 < wait <= 2.0  # the token's whole life, plus a second
    (probe,) = observed
    assert (probe.status, probe.error_code()) == (401, "AUTH_TOKEN_EXPIRED")
    assert_response_checks_pass(observed)


def test_expired_token_fails_when_the_sandbox_accepts_it_in_real_time() -> None:
    config = SandboxConfig(token_ttl=1, faults=frozenset({"accept-expired-token"}))
    with scenario(config) as (ctx, observed), pytest.raises(CheckFailed) as failed:
        run("auth.expired_token", ctx)
    assert failed.value.message == (
        "a request with a token 1 s after issue answered 200, expected 401 AUTH_TOKEN_EXPIRED"
    )
    assert failed.value.exchange is observed[0]


@pytest.mark.parametrize(("fault", "passes"), [(None, True), ("accept-expired-token", False)])
def test_expired_token_uses_a_configured_expired_token_without_waiting(
    monkeypatch: pytest.MonkeyPatch, fault: str | None, passes: bool
) -> None:
    clock = SandboxClock()
    waited = expire_by_clock(monkeypatch, clock)
    config = SandboxConfig(clock=clock, faults=frozenset({fault} if fault else ()))
    with Sandbox(config) as sandbox:
        with scenario_on(sandbox) as (issuing, _):
            stale = issuing.client.request_token().access_token
        clock.advance(7201)
        with scenario_on(sandbox, expired_token=stale) as (ctx, observed):
            if passes:
                assert run("auth.expired_token", ctx) == (
                    "the configured expired token was refused with 401 AUTH_TOKEN_EXPIRED"
                )
            else:
                with pytest.raises(
                    CheckFailed, match="a request with the configured expired token answered 200"
                ):
                    run("auth.expired_token", ctx)
    assert waited == []
    assert len(observed) == 1


def test_expired_token_is_not_verifiable_with_long_lived_tokens(clean_sandbox: Sandbox) -> None:
    with scenario_on(clean_sandbox) as (ctx, observed), pytest.raises(NotVerifiable) as reason:
        run("auth.expired_token", ctx)
    assert str(reason.value) == (
        "tokens live 7200 s, longer than this run waits (15 s); "
        "pass --expired-token or set OPENCLAW_EXPIRED_TOKEN to a token that has expired"
    )
    assert observed == []


# -- inventory.concurrency -----------------------------------------------------------------------------------


def test_concurrency_passes_on_a_clean_sandbox(clean_sandbox: Sandbox) -> None:
    with scenario_on(clean_sandbox) as (ctx, observed):
        message = run("inventory.concurrency", ctx)
    assert message == "5 of 8 concurrent reservations succeeded against 5 in stock"
    assert len(observed) == 10  # the adjust, 8 reservations, the read
    assert sorted(ex.status for ex in observed[1:9]) == [201] * 5 + [409] * 3
    assert_response_checks_pass(observed)


def test_concurrency_fails_on_racy_inventory() -> None:
    with (
        scenario(SandboxConfig(faults=frozenset({"racy-inventory"}))) as (ctx, observed),
        pytest.raises(CheckFailed) as failed,
    ):
        run("inventory.concurrency", ctx)
    assert failed.value.message.startswith(
        "after 8 concurrent reservations of 1 against 5: negative stock: available=-"
    )
    assert failed.value.exchange is observed[-1]  # the read that shows it


def test_concurrency_is_not_verifiable_when_the_burst_is_rate_limited(strict_sandbox: Sandbox) -> None:
    # The final read meets a 429 too and waits its Retry-After (1 s) politely: the slowest test here.
    with (
        scenario_on(strict_sandbox) as (ctx, _),
        pytest.raises(NotVerifiable, match=r"only [23] of 8 concurrent reservations got past the rate limit"),
    ):
        run("inventory.concurrency", ctx)
