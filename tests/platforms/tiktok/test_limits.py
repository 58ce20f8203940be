"""The rate limit per shop and endpoint, and each scenario as TikTok would show it."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator

import httpx
import pytest
from tests.platforms.tiktok.support import (
    DETAIL,
    SEARCH,
    UK_PENDING_ORDER,
    US_CIPHER,
    Caller,
    FakeClock,
    refusal,
)

from clawcheck.errors import ConfigError
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.testing import in_process, intercept_httpx
from clawcheck.platforms.tiktok import TikTokShop

TOO_MANY = (429, 36009002, "Too many requests. You've made too many requests in a short period of time.")


def _burst(caller: Caller, count: int, path: str = DETAIL) -> list[int]:
    return [caller.send("GET", path, query={"ids": UK_PENDING_ORDER}).status_code for _ in range(count)]


def test_the_51st_request_in_a_second_to_one_shop_and_endpoint_is_throttled(
    mock: Mock, caller: Caller, monotonic: FakeClock
) -> None:
    assert _burst(caller, 50) == [200] * 50
    response = caller.send("GET", DETAIL, query={"ids": UK_PENDING_ORDER})
    assert refusal(response) == TOO_MANY
    assert "retry-after" not in response.headers  # TikTok advertises no wait
    entry = mock.journal.entries()[-1]
    assert (entry.throttle, entry.retry_after_advertised) == ("limit", False)
    monotonic.advance(1 / 50)
    assert _burst(caller, 1) == [200]


def test_other_shops_and_other_endpoints_keep_their_own_budget(caller: Caller) -> None:
    _burst(caller, 51)
    assert caller.send("POST", SEARCH, query={"page_size": "5"}).status_code == 200
    caller.cipher = US_CIPHER
    assert caller.send("GET", DETAIL, query={"ids": "576461413038785705"}).status_code == 200


@pytest.fixture
def scenario_caller(
    request: pytest.FixtureRequest, clock: FakeClock, monotonic: FakeClock
) -> Iterator[Caller]:
    built = Mock(TikTokShop, scenarios=[request.param], clock=clock, monotonic=monotonic)
    with intercept_httpx(built), httpx.Client() as http:
        yield Caller(built, http)
    built.close()


@pytest.mark.parametrize("scenario_caller", ["rate-limit-burst:every=3,window=2"], indirect=True)
def test_rate_limit_burst_throttles_the_shop_for_the_window(
    scenario_caller: Caller, monotonic: FakeClock
) -> None:
    assert _burst(scenario_caller, 2) == [200, 200]
    assert refusal(scenario_caller.send("GET", DETAIL, query={"ids": UK_PENDING_ORDER})) == TOO_MANY
    monotonic.advance(1.9)
    assert _burst(scenario_caller, 1) == [429]
    monotonic.advance(0.2)
    assert _burst(scenario_caller, 1) == [200]


@pytest.mark.parametrize("scenario_caller", ["server-errors:every=2,status=503"], indirect=True)
def test_server_errors_answer_tiktoks_internal_error(scenario_caller: Caller) -> None:
    responses = [scenario_caller.send("GET", DETAIL, query={"ids": UK_PENDING_ORDER}) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 503, 200, 503]
    status, code, message = refusal(responses[1])
    assert (status, code) == (503, 36009003)
    assert message.startswith("Internal error. Please try again.")


@pytest.mark.parametrize("scenario_caller", ["token-expiry:ttl=2"], indirect=True)
def test_token_expiry_makes_the_token_expire_in_seconds(scenario_caller: Caller, clock: FakeClock) -> None:
    mock = scenario_caller.mock
    assert int(mock.credentials["TIKTOK_ACCESS_TOKEN_EXPIRE_IN"]) == int(clock()) + 2
    assert _burst(scenario_caller, 1) == [200]
    clock.advance(2)
    assert refusal(scenario_caller.send("GET", DETAIL, query={"ids": UK_PENDING_ORDER}))[:2] == (401, 105002)


@pytest.mark.parametrize("scenario_caller", ["clock-skew:seconds=120"], indirect=True)
def test_clock_skew_moves_the_platform_clock_not_the_window_rules(
    scenario_caller: Caller, clock: FakeClock
) -> None:
    scenario_caller.clock = clock  # the client stamps true time, two minutes behind the platform
    assert _burst(scenario_caller, 1) == [200]
    assert (
        int(scenario_caller.mock.credentials["TIKTOK_ACCESS_TOKEN_EXPIRE_IN"])
        == int(clock()) + 120 + 7 * 86400
    )
    late = scenario_caller.send(
        "GET", DETAIL, query={"ids": UK_PENDING_ORDER}, timestamp=str(int(clock()) - 200)
    )
    assert refusal(late)[:2] == (400, 36009004)


@pytest.mark.parametrize("scenario_caller", ["pagination-edges:page=2"], indirect=True)
def test_pagination_edges_gives_small_pages_and_awkward_cursors(scenario_caller: Caller) -> None:
    first = scenario_caller.data("POST", SEARCH, query={"page_size": "100"}, body={})
    assert len(first["orders"]) == 2
    token = first["next_page_token"]
    assert set(token) & set("+/=")
    assert base64.b64decode(token)  # a real cursor, not noise
    orders = scenario_caller.all_orders(page_size=100)
    assert len(orders) == 5
    mangled = token.replace("+", " ")  # what a client that does not URL-encode sends
    response = scenario_caller.send(
        "POST", SEARCH, query={"page_size": "100", "page_token": mangled}, body={}
    )
    assert refusal(response)[:2] == (400, 36009004)
    assert "bad_cursor" in scenario_caller.mock.journal.entries()[-1].notes


def test_slow_delays_responses() -> None:
    with in_process("tiktok", scenarios=["slow:every=1,delay=0.05"]) as mock, httpx.Client() as http:
        started = time.perf_counter()
        Caller(mock, http).data("GET", DETAIL, query={"ids": UK_PENDING_ORDER})
        assert time.perf_counter() - started >= 0.05
        assert "delayed 0.05s" in mock.journal.entries()[-1].notes


def test_a_rotated_webhook_secret_does_not_apply_because_it_is_the_app_secret() -> None:
    with pytest.raises(ConfigError, match="does not apply to tiktok"):
        Mock(TikTokShop, scenarios=["webhook-secret-rotated"])
