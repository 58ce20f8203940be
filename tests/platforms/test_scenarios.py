"""Fault scenarios: how they are written and parsed, and what each one does to the toy platform."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from tests.platforms.toy import SECRET, SHOPS, Toy, sign

from clawcheck.errors import ConfigError
from clawcheck.platforms import SCENARIOS
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import GENERIC_SCENARIOS, Call, MockRequest, MockResponse, route
from clawcheck.platforms.scenarios import ScenarioSpec, parse_scenarios
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import intercept_httpx

SANDBOX = "sandbox.toy.test"
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z


@dataclass
class FakeClock:
    now: float = START

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class TimeToy(Toy):
    """The toy with a route that tells the platform's clock."""

    @route("GET", "/now", name="now", public=True)
    def what_time(self, call: Call) -> MockResponse:
        return call.json(200, {"now": call.now()})


class SignedToy(Toy):
    webhook_secret_env = "TOY_APP_SECRET"


class SlowOnlyToy(Toy):
    scenarios = frozenset({"slow"})


def handle(mock: Mock, method: str = "GET", path: str = "/orders", *, shop: int = 0) -> MockResponse:
    """A correct, signed toy request straight into the engine."""
    token = mock.platform.state.access[SHOPS[shop]]
    ts = str(int(mock.now()))
    request = MockRequest.build(
        method,
        path,
        host=SANDBOX,
        query_string=f"ts={ts}&sign={sign(path, ts, token)}",
        headers=[("authorization", f"Bearer {token}"), ("content-type", "application/json")],
        body=b"{}" if method == "POST" else b"",
    )
    return mock.handle(request)


def data(response: MockResponse) -> Any:
    return json.loads(response.body)


# -- parsing -----------------------------------------------------------------------------------


def test_the_registry_holds_the_seven_generic_scenarios() -> None:
    assert set(SCENARIOS.names()) == GENERIC_SCENARIOS
    assert len(GENERIC_SCENARIOS) == 7


def test_scenarios_compose_with_plus_and_across_texts() -> None:
    specs = parse_scenarios(["token-expiry+slow", " clock-skew ", "pagination-edges+"])
    assert [s.name for s in specs] == ["token-expiry", "slow", "clock-skew", "pagination-edges"]
    assert all(s.params == {} for s in specs)


def test_parameters_are_parsed_as_numbers() -> None:
    (spec,) = parse_scenarios(["rate-limit-burst:every=3,window=0.5"])
    assert spec == ScenarioSpec("rate-limit-burst", {"every": 3.0, "window": 0.5})
    assert str(spec) == "rate-limit-burst:every=3,window=0.5"


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_scenarios(["token-expiry+nope"])
    message = str(raised.value)
    assert "'nope'" in message
    assert all(name in message for name in GENERIC_SCENARIOS)


def test_an_unknown_parameter_is_named() -> None:
    # The syntax is fine; the scenario refuses the name when the mock is built.
    assert parse_scenarios(["slow:bogus=1"]) == [ScenarioSpec("slow", {"bogus": 1.0})]
    with pytest.raises(ConfigError, match=r"no parameter 'bogus'; its parameters: every, delay"):
        Mock(Toy, scenarios=["slow:bogus=1"])
    with pytest.raises(ConfigError, match=r"'webhook-secret-rotated' has no parameter 'x'.*none"):
        Mock(SignedToy, scenarios=["webhook-secret-rotated:x=1"])


@pytest.mark.parametrize(
    "text",
    [
        "slow:delay",
        "slow:delay=",
        "slow:delay=-1",
        "slow:delay=abc",
        "slow:delay=inf",
        "slow:delay=nan",
        "rate-limit-burst:every=3;window=1",
    ],
)
def test_a_malformed_value_is_a_config_error(text: str) -> None:
    with pytest.raises(ConfigError, match="must be key=<non-negative number>") as raised:
        parse_scenarios([text])
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "texts", [["slow", "slow:delay=1"], ["slow+slow"], ["slow:every=2+token-expiry+slow"]]
)
def test_the_same_scenario_twice_is_a_config_error(texts: list[str]) -> None:
    with pytest.raises(ConfigError, match="'slow' is given twice"):
        parse_scenarios(texts)


def test_a_scenario_the_platform_does_not_declare_is_refused_naming_it() -> None:
    Mock(SlowOnlyToy, scenarios=["slow"])
    with pytest.raises(ConfigError) as raised:
        Mock(SlowOnlyToy, scenarios=["token-expiry"])
    assert str(raised.value) == "scenario 'token-expiry' does not apply to toy; its scenarios: slow"


def test_specs_are_accepted_as_objects_too() -> None:
    mock = Mock(Toy, scenarios=[ScenarioSpec("slow", {"every": 1, "delay": 0.25}), "clock-skew"])
    assert [s.name for s in mock.scenarios] == ["slow", "clock-skew"]
    assert handle(mock).delay == 0.25


# -- token-expiry ------------------------------------------------------------------------------


def test_token_expiry_shortens_every_token_lifetime() -> None:
    clock = FakeClock()
    mock = Mock(Toy, scenarios=["token-expiry:ttl=2"], clock=clock.time, enforce_rate_limits=False)
    assert handle(mock).status == 200
    clock.advance(1.9)
    assert handle(mock).status == 200
    clock.advance(0.2)
    expired = handle(mock)
    assert expired.status == 401
    assert data(expired)["error"] == "token_expired"
    refresh = MockRequest.build(
        "POST",
        "/oauth/token",
        host="auth.toy.test",
        headers=[("content-type", "application/x-www-form-urlencoded")],
        body=f"refresh_token={mock.credentials['TOY_REFRESH_TOKEN']}".encode(),
    )
    assert data(mock.handle(refresh))["expires_in"] == 2  # refreshed tokens are short-lived too


def test_token_expiry_defaults_to_three_seconds() -> None:
    clock = FakeClock()
    mock = Mock(Toy, scenarios=["token-expiry"], clock=clock.time)
    assert mock.tokens.issue("shop-x").expires_at == START + 3


# -- rate-limit-burst --------------------------------------------------------------------------


def test_rate_limit_burst_opens_a_throttle_window_every_nth_request() -> None:
    mono = FakeClock(0.0)
    mock = Mock(Toy, scenarios=["rate-limit-burst:every=3,window=0.5"], monotonic=mono.time)
    first = [handle(mock).status for _ in range(3)]
    assert first == [200, 200, 429]
    entry = mock.journal.entries()[-1]
    assert (entry.throttle, entry.injected) == ("scenario", "rate-limit-burst")
    assert entry.retry_after == pytest.approx(0.5)
    assert entry.retry_after_advertised
    mono.advance(0.2)
    inside = handle(mock)
    assert inside.status == 429
    assert float(inside.header("Retry-After") or 0) == pytest.approx(0.3)
    assert handle(mock, shop=1).status == 200  # another shop has its own count and window
    mono.advance(0.35)
    assert [handle(mock).status for _ in range(3)] == [200, 200, 429]
    assert all(e.throttle in (None, "scenario") for e in mock.journal.entries())


# -- server-errors -----------------------------------------------------------------------------


def test_server_errors_answer_every_nth_request_in_the_platform_error_shape() -> None:
    mock = Mock(Toy, scenarios=["server-errors:every=2,status=502"], enforce_rate_limits=False)
    responses = [handle(mock) for _ in range(4)]
    assert [r.status for r in responses] == [200, 502, 200, 502]
    assert data(responses[1]) == {"error": "internal_error", "message": "injected by clawcheck"}
    assert [e.injected for e in mock.journal.entries()] == [None, "server-errors", None, "server-errors"]


def test_server_errors_default_to_503_service_unavailable() -> None:
    mock = Mock(Toy, scenarios=["server-errors:every=1"])
    response = handle(mock)
    assert response.status == 503
    assert data(response)["error"] == "service_unavailable"


@pytest.mark.parametrize("status", ["404", "499", "600", "0"])
def test_server_errors_must_be_5xx(status: str) -> None:
    with pytest.raises(ConfigError, match=f"status must be 5xx, not {status}"):
        Mock(Toy, scenarios=[f"server-errors:status={status}"])


# -- slow --------------------------------------------------------------------------------------


def test_slow_delays_every_nth_response() -> None:
    mock = Mock(Toy, scenarios=["slow:every=2,delay=0.3"], enforce_rate_limits=False)
    assert [handle(mock).delay for _ in range(4)] == [0.0, 0.3, 0.0, 0.3]
    entries = mock.journal.entries()
    assert entries[1].notes == ["delayed 0.3s"]
    assert entries[1].duration >= 0.3
    assert entries[0].duration < 0.3


def test_slow_responses_really_take_that_long_over_http() -> None:
    mock = Mock(Toy, scenarios=["slow:every=1,delay=0.4"])
    token = mock.credentials["TOY_ACCESS_TOKEN"]
    with MockServer(mock) as server, httpx.Client(base_url=server.base_url, timeout=10.0) as http:
        ts = str(int(time.time()))
        started = time.monotonic()
        response = http.get(
            "/orders",
            params={"ts": ts, "sign": sign("/orders", ts, token)},
            headers={"Authorization": f"Bearer {token}"},
        )
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed >= 0.4


# -- clock-skew --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "skew"),
    [("clock-skew", 120.0), ("clock-skew:seconds=300", 300.0), ("clock-skew:seconds=300,behind=1", -300.0)],
)
def test_clock_skew_moves_the_platform_clock(scenario: str, skew: float) -> None:
    clock = FakeClock()
    mock = Mock(TimeToy, scenarios=[scenario], clock=clock.time)
    response = mock.handle(MockRequest.build("GET", "/now", host=SANDBOX))
    assert data(response) == {"now": START + skew}
    assert mock.now() == START + skew
    assert mock.true_now() == START
    assert mock.journal.entries()[-1].at == START  # the journal keeps true time
    # Tokens are issued on the platform clock; the checks see their expiry in true time.
    assert set(mock.token_expiries().values()) == {START + Toy.token_ttl}
    assert mock.tokens.check(mock.credentials["TOY_ACCESS_TOKEN"]).state == "valid"


# -- pagination-edges --------------------------------------------------------------------------


@pytest.fixture
def paged() -> Iterator[tuple[Mock, httpx.Client]]:
    mock = Mock(Toy, scenarios=["pagination-edges"], enforce_rate_limits=False)
    with intercept_httpx(mock), httpx.Client(timeout=5.0) as http:
        yield mock, http


def auth(mock: Mock) -> tuple[dict[str, str], dict[str, str]]:
    token = mock.credentials["TOY_ACCESS_TOKEN"]
    ts = str(int(time.time()))
    return {"ts": ts, "sign": sign("/orders", ts, token)}, {"Authorization": f"Bearer {token}"}


def test_pagination_edges_caps_pages_and_makes_awkward_cursors(paged: tuple[Mock, httpx.Client]) -> None:
    mock, http = paged
    query, headers = auth(mock)
    ids: list[object] = []
    cursors: list[str] = []
    response = http.get(f"https://{SANDBOX}/orders", params={**query, "limit": "50"}, headers=headers)
    for _ in range(10):
        assert response.status_code == 200
        page = response.json()
        assert len(page["orders"]) <= 2
        ids += [o["id"] for o in page["orders"]]
        if not page["next_cursor"]:
            break
        cursors.append(page["next_cursor"])
        response = http.get(
            f"https://{SANDBOX}/orders", params={**query, "cursor": page["next_cursor"]}, headers=headers
        )
    assert ids == [1, 3, 5, 7]
    assert cursors
    assert all("+" in c and "/" in c and "=" in c for c in cursors)
    notes = [n for e in mock.journal.entries() for n in e.notes]
    assert notes == ["cursor"] * len(cursors)


def test_a_cursor_whose_plus_became_a_space_is_refused(paged: tuple[Mock, httpx.Client]) -> None:
    mock, http = paged
    query, headers = auth(mock)
    first = http.get(f"https://{SANDBOX}/orders", params=query, headers=headers).json()
    cursor = first["next_cursor"]
    # Put in the URL without percent-encoding: the server reads each `+` as a space.
    raw = f"https://{SANDBOX}/orders?cursor={cursor}&ts={query['ts']}&sign={query['sign']}"
    response = http.get(raw, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_cursor"
    entry = mock.journal.entries()[-1]
    assert "bad_cursor" in entry.notes
    assert entry.query["cursor"] == cursor.replace("+", " ")


def test_without_the_scenario_cursors_are_url_safe_and_pages_default() -> None:
    mock = Mock(Toy)
    page = data(handle(mock))
    assert len(page["orders"]) == 3
    assert not set(page["next_cursor"]) & set("+/=")


def test_pagination_edges_page_size_is_a_parameter() -> None:
    mock = Mock(Toy, scenarios=["pagination-edges:page=1"])
    assert len(data(handle(mock))["orders"]) == 1


# -- webhook-secret-rotated --------------------------------------------------------------------


def test_webhook_secret_rotated_signs_with_the_new_secret_and_tells_the_adapter() -> None:
    mock = Mock(SignedToy, scenarios=["webhook-secret-rotated"])
    assert handle(mock, "POST", "/orders/1/ship").status == 200
    (delivery,) = mock.deliveries
    rotated = mock.rotated_webhook_secret
    assert delivery.secret == "rotated"
    assert delivery.headers is not None
    expected = hmac.new(rotated.encode(), delivery.body, hashlib.sha256).hexdigest()
    assert delivery.headers["X-Toy-Signature"] == expected
    env = mock.adapter_env()
    assert env["CLAWCHECK_WEBHOOK_SECRET_NEW"] == rotated
    assert env["TOY_APP_SECRET"] == SECRET  # the old secret is still handed out


def test_without_rotation_there_is_no_new_secret() -> None:
    mock = Mock(SignedToy)
    assert mock.rotated_webhook_secret == ""
    assert "CLAWCHECK_WEBHOOK_SECRET_NEW" not in mock.adapter_env()
