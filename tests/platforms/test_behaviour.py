"""Each client-behaviour check catches a client broken in exactly its way; a correct client passes all."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import datetime, timedelta

import pytest
from tests.platforms.toy import Toy
from tests.platforms.toyclient import ToyClient

from clawcheck.core.results import Status, SuiteResult
from clawcheck.platforms.behaviour import CLIENT_CHECKS, evaluate
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.testing import intercept_httpx

# Every check has something to judge: tokens expire, the shop is throttled, cursors are awkward.
ALL_APPLY = ("token-expiry:ttl=0.4", "rate-limit-burst:every=4,window=0.2", "pagination-edges")


def run(
    client_class: type[ToyClient],
    scenarios: Iterable[str] = ALL_APPLY,
    *,
    rounds: int = 4,
    environment: str = "sandbox",
) -> SuiteResult:
    mock = Mock(Toy, scenarios=scenarios, environment=environment)
    with intercept_httpx(mock):
        client = client_class(mock.credentials, environment)
        with contextlib.suppress(RuntimeError, KeyError, ValueError):  # broken clients may give up
            client.run(rounds)
    return evaluate(mock)


def statuses(result: SuiteResult) -> dict[str, Status]:
    return {record.id: record.status for record in result.checks}


def failed(result: SuiteResult) -> set[str]:
    return {record.id for record in result.failed()}


def test_a_correct_client_passes_every_check() -> None:
    result = run(ToyClient)
    assert statuses(result) == {check.id: Status.PASS for check in CLIENT_CHECKS}, [
        (r.id, r.message) for r in result.checks if r.status is not Status.PASS
    ]
    assert result.metrics["requests"] > 10


class HammersAfter429(ToyClient):
    def wait_after_throttle(self, seconds: float) -> None:
        pass


class RetriesExpiredToken(ToyClient):
    def on_expired(self) -> None:
        pass


class NeverRefreshes(ToyClient):
    """Stops at the first expired token instead of refreshing."""

    def on_expired(self) -> None:
        raise RuntimeError("token expired")


class NoPacing(ToyClient):
    min_interval = 0.0


class ProductionHost(ToyClient):
    def host(self) -> str:
        return "api.toy.test"


class SignsWrongPath(ToyClient):
    def sign(self, path: str, timestamp: str) -> str:
        return super().sign(path.lstrip("/"), timestamp)


class NaiveLocalTime(ToyClient):
    def since(self) -> str:
        return (datetime.now() - timedelta(days=7)).isoformat(timespec="seconds")


class UtcNowTimestamp(ToyClient):
    """`datetime.utcnow().timestamp()` on a UTC+8 machine: eight hours off."""

    def timestamp(self) -> str:
        return str(int(self.now() - 8 * 3600))


class UnencodedCursor(ToyClient):
    def cursor_url(self, path: str, cursor: str) -> tuple[str, dict[str, str]]:
        return f"https://{self.host()}{path}?cursor={cursor}", {}


@pytest.mark.parametrize(
    ("client_class", "check_id", "rounds"),
    [
        (HammersAfter429, "client.retry_after", 4),
        (RetriesExpiredToken, "client.token_refresh", 4),
        (NeverRefreshes, "client.token_refresh", 4),
        (NoPacing, "client.qps", 4),
        (ProductionHost, "client.environment_host", 1),
        (SignsWrongPath, "client.signing", 1),
        (NaiveLocalTime, "client.utc", 1),
        (UtcNowTimestamp, "client.utc", 1),
        (UnencodedCursor, "client.pagination", 1),
    ],
)
def test_a_client_broken_one_way_fails_exactly_that_check(
    client_class: type[ToyClient], check_id: str, rounds: int
) -> None:
    # The burst scenario would pace a hammering client itself: the QPS case runs without it.
    scenarios = ("pagination-edges",) if check_id == "client.qps" else ALL_APPLY
    result = run(client_class, scenarios, rounds=rounds)
    assert check_id in failed(result), [(r.id, r.status, r.message) for r in result.checks]
    record = next(r for r in result.checks if r.id == check_id)
    assert record.evidence, "a failure carries its evidence"
    # The broken behaviour is the only failure, unless it breaks others by nature:
    # a wrong signature is refused before anything else is judged.
    assert failed(result) == {check_id}, [(r.id, r.message) for r in result.failed()]


def test_every_registered_check_has_a_broken_client() -> None:
    covered = {
        "client.retry_after",
        "client.token_refresh",
        "client.qps",
        "client.environment_host",
        "client.signing",
        "client.utc",
        "client.pagination",
    }
    assert set(CLIENT_CHECKS.names()) == covered


def test_without_the_scenarios_the_checks_skip_rather_than_pass() -> None:
    result = run(ToyClient, scenarios=(), rounds=1)
    found = statuses(result)
    assert found["client.retry_after"] is Status.SKIP
    assert found["client.token_refresh"] is Status.SKIP
    skipped = {r.id: r.message for r in result.checks if r.status is Status.SKIP}
    assert "rate-limit-burst" in skipped["client.retry_after"]
    assert "token-expiry" in skipped["client.token_refresh"]


def test_a_production_configured_client_on_production_hosts_passes() -> None:
    result = run(ToyClient, scenarios=(), rounds=1, environment="production")
    assert statuses(result)["client.environment_host"] is Status.PASS


def test_a_sandbox_client_on_production_is_named_in_the_evidence() -> None:
    result = run(ProductionHost, scenarios=(), rounds=1)
    record = next(r for r in result.checks if r.id == "client.environment_host")
    assert "api.toy.test" in record.message
    assert record.evidence["environment"] == "sandbox"


def test_the_result_never_contains_a_token() -> None:
    mock = Mock(Toy, scenarios=ALL_APPLY)
    with intercept_httpx(mock):
        ToyClient(mock.credentials).run(2)
    text = str(evaluate(mock).to_dict()) + str(mock.journal.to_list())
    for secret in mock.secrets():
        assert secret not in text
