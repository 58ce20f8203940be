"""Each scenario that applies to Shopee, rendered in Shopee's own terms."""

from __future__ import annotations

import pytest

from clawcheck.errors import ConfigError
from clawcheck.platforms.shopee import Shopee

from .conftest import SG, FakeClock, ShopeeClient, make_mock


def scenario_client(*scenarios: str) -> ShopeeClient:
    clock = FakeClock()
    return ShopeeClient(make_mock(clock, scenarios=list(scenarios)), clock)


def test_token_expiry_shortens_the_access_token(clock: FakeClock) -> None:
    client = scenario_client("token-expiry:ttl=3")
    assert client.list_orders().status == 200
    client.clock.advance(3)
    expired = client.list_orders()
    assert (expired.status, expired.error) == (403, "invalid_acceess_token")
    refreshed = client.refresh(client.platform.state.current[SG][1])
    assert refreshed.data["expire_in"] == 3
    assert client.list_orders().status == 200


def test_rate_limit_burst_answers_shopees_429_without_a_wait() -> None:
    client = scenario_client("rate-limit-burst:every=2,window=1")
    assert client.list_orders().status == 200
    burst = client.list_orders()
    assert (burst.status, burst.error) == (429, "error_rate_limit")
    assert "retry-after" not in {k.lower() for k in burst.headers}
    entry = client.mock.journal.entries()[-1]
    assert (entry.throttle, entry.injected, entry.retry_after_advertised) == (
        "scenario",
        "rate-limit-burst",
        False,
    )
    assert client.refresh(client.platform.state.current[SG][1]).status == 200  # public APIs are spared


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_use_shopees_error_server_body(status: int) -> None:
    client = scenario_client(f"server-errors:every=1,status={status}")
    answer = client.list_orders()
    assert (answer.status, answer.error) == (status, "error_server")
    assert answer.data["message"] == "System error. Please try again later."


def test_pagination_edges_give_tiny_pages_and_cursors_that_need_encoding() -> None:
    client = scenario_client("pagination-edges")
    first = client.list_orders(page_size=100)
    assert len(first.response["order_list"]) == 2
    cursor = first.response["next_cursor"]
    assert set("+/=") <= set(cursor)
    assert len(client.all_orders()) == 7
    notes = [e.notes for e in client.mock.journal.entries()]
    assert ["cursor"] in notes
    assert not any("bad_cursor" in n for n in notes)


def test_pagination_edges_catch_a_client_that_does_not_encode_the_cursor() -> None:
    client = scenario_client("pagination-edges")
    cursor = client.list_orders().response["next_cursor"]
    now = int(client.clock.now)
    window = {
        "time_range_field": "create_time",
        "time_from": now - 86400 * 14,
        "time_to": now,
        "page_size": 2,
    }
    mangled = client.call("GET", "/api/v2/order/get_order_list", window, raw_query=f"cursor={cursor}")
    assert (mangled.status, mangled.error) == (400, "error_param")
    assert "bad_cursor" in client.mock.journal.entries()[-1].notes


def test_clock_skew_moves_the_platforms_clock_within_the_timestamp_window() -> None:
    client = scenario_client("clock-skew:seconds=120")
    assert client.mock.now() == client.clock.now + 120
    assert client.list_orders().status == 200  # true-clock timestamps are 120 s behind: accepted


def test_clock_skew_beyond_five_minutes_refuses_true_timestamps() -> None:
    client = scenario_client("clock-skew:seconds=400")
    answer = client.list_orders()
    assert (answer.status, answer.data["message"]) == (400, "Timestamp is expired")


def test_slow_delays_responses() -> None:
    client = scenario_client("slow:every=1,delay=0.25")
    client.list_orders()
    assert "delayed 0.25s" in client.mock.journal.entries()[-1].notes


def test_webhook_secret_rotation_does_not_apply() -> None:
    assert "webhook-secret-rotated" not in Shopee.scenarios
    with pytest.raises(ConfigError, match="does not apply to shopee"):
        make_mock(FakeClock(), scenarios=["webhook-secret-rotated"])
