"""Usage plans (token buckets per seller and operation) and the scenarios that apply."""

from __future__ import annotations

import json

import pytest

from clawcheck.platforms.amazon import Amazon
from clawcheck.platforms.model import MockRequest, MockResponse

from .conftest import MAPLE, US, Api, FakeClock, body, error_of, listing_path, make_mock

ORDER = "/orders/v0/orders/113-4829316-7720215"


def throttle_shape(response: MockResponse, rate: str) -> None:
    assert response.status == 429
    assert error_of(response) == {
        "code": "QuotaExceeded",
        "message": "You exceeded your quota for the requested resource.",
        "details": "",
    }
    assert response.header("x-amzn-RateLimit-Limit") == rate
    assert response.header("x-amzn-RequestId")
    assert response.header("Retry-After") is None  # Amazon tells no wait


def test_get_orders_allows_a_burst_of_20_then_answers_quota_exceeded(api: Api) -> None:
    statuses = [api.orders().status for _ in range(21)]
    assert statuses == [200] * 20 + [429]
    last = api.orders()
    throttle_shape(last, "0.0167")
    entry = api.mock.journal.entries()[-1]
    assert entry.throttle == "limit"
    assert not entry.retry_after_advertised


def test_the_bucket_refills_at_the_published_rate(api: Api, clock: FakeClock) -> None:
    for _ in range(20):
        api.orders()
    clock.advance(30)
    assert api.orders().status == 429
    clock.advance(31)  # one token per 1/0.0167 s
    assert api.orders().status == 200
    assert api.orders().status == 429


def test_other_sellers_and_other_operations_keep_their_own_buckets(api: Api) -> None:
    for _ in range(21):
        api.orders()
    assert api.orders().status == 429
    assert api.call("GET", ORDER).status == 200  # getOrder has its own bucket
    maple = [("MarketplaceIds", US), ("CreatedAfter", "2020-01-01T00:00:00Z")]
    assert api.orders(maple, seller=MAPLE).status == 200


def test_get_order_burst_30_and_listings_burst_10(api: Api) -> None:
    assert [api.call("GET", ORDER).status for _ in range(31)][-2:] == [200, 429]
    reads = [api.call("GET", listing_path("NW-TENT-2P"), [("marketplaceIds", US)]).status for _ in range(11)]
    assert reads[-2:] == [200, 429]
    throttle_shape(api.call("GET", listing_path("NW-TENT-2P"), [("marketplaceIds", US)]), "5.0")


def test_every_answer_of_an_operation_names_its_rate(api: Api) -> None:
    assert api.orders().header("x-amzn-RateLimit-Limit") == "0.0167"
    assert api.call("GET", ORDER).header("x-amzn-RateLimit-Limit") == "0.5"
    missing = api.call("GET", "/orders/v0/orders/999-0000000-0000000")
    assert missing.status == 404
    assert missing.header("x-amzn-RateLimit-Limit") == "0.5"


def test_usage_plans_match_the_official_models() -> None:
    plans = {name: (rule.per_second, rule.burst) for name, rule in Amazon.rate_limit.per_operation.items()}
    assert plans == {
        "getOrders": (0.0167, 20),
        "getOrder": (0.5, 30),
        "getOrderItems": (0.5, 30),
        "confirmShipment": (2.0, 10),
        "getListingsItem": (5.0, 10),
        "patchListingsItem": (5.0, 10),
    }
    assert all(rule.scope == "shop+operation" for rule in Amazon.rate_limit.per_operation.values())


# -- scenarios ---------------------------------------------------------------------------


def test_scenarios_that_apply() -> None:
    assert "webhook-secret-rotated" not in Amazon.scenarios  # notifications are unsigned
    assert {
        "token-expiry",
        "rate-limit-burst",
        "server-errors",
        "slow",
        "clock-skew",
        "pagination-edges",
    } <= (Amazon.scenarios)


def test_rate_limit_burst_answers_amazons_429(clock: FakeClock) -> None:
    api = Api(make_mock("rate-limit-burst:every=3,window=2", clock=clock))
    statuses = [api.call("GET", ORDER).status for _ in range(4)]
    assert statuses == [200, 200, 429, 429]
    throttle_shape(api.call("GET", ORDER), "0.5")
    assert api.mock.journal.entries()[-1].throttle == "scenario"
    clock.advance(2.1)
    assert api.call("GET", ORDER).status == 200


def test_server_errors_use_amazons_error_list(clock: FakeClock) -> None:
    api = Api(make_mock("server-errors:every=2,status=503", clock=clock))
    api.call("GET", ORDER)
    failed = api.call("GET", ORDER)
    assert failed.status == 503
    assert error_of(failed)["code"] == "ServiceUnavailable"
    api500 = Api(make_mock("server-errors:every=1,status=500", clock=clock))
    assert error_of(api500.call("GET", ORDER))["code"] == "InternalFailure"


def test_token_expiry_shortens_the_lwa_lifetime(clock: FakeClock) -> None:
    api = Api(make_mock("token-expiry:ttl=5", clock=clock))
    token = body(api.exchange())
    assert token["expires_in"] == 5
    clock.advance(6)
    assert error_of(api.orders(token=token["access_token"]))["details"].endswith("has expired.")


def test_clock_skew_moves_amazons_timestamps(clock: FakeClock) -> None:
    api = Api(make_mock("clock-skew:seconds=3600", clock=clock))
    payload = body(api.orders())["payload"]
    assert payload["CreatedBefore"] == "2026-09-21T15:13:20Z"  # true time 14:13:20 plus an hour


def test_pagination_edges_makes_tiny_pages_with_awkward_tokens(clock: FakeClock) -> None:
    api = Api(make_mock("pagination-edges", clock=clock))
    query = [("MarketplaceIds", US), ("CreatedAfter", "2020-01-01T00:00:00Z")]
    payload = body(api.orders(query))["payload"]
    assert len(payload["Orders"]) == 2
    token = payload["NextToken"]
    assert set("+/=") & set(token)
    mangled = api.mock.handle(
        MockRequest.build(
            "GET",
            "/orders/v0/orders",
            host=api.host,
            query_string=f"MarketplaceIds={US}&NextToken={token}",  # not URL-encoded: "+" turns into " "
            headers=[("x-amz-access-token", api.token())],
        )
    )
    assert mangled.status == 400
    assert "bad_cursor" in api.mock.journal.entries()[-1].notes
    assert len(api.all_orders(page=100)) == 8  # encoded correctly, every page arrives


def test_slow_delays_responses(clock: FakeClock) -> None:
    api = Api(make_mock("slow:every=1,delay=0.25", clock=clock))
    assert api.call("GET", ORDER).delay == pytest.approx(0.25)


def test_scenarios_never_touch_the_token_endpoint(clock: FakeClock) -> None:
    api = Api(make_mock("server-errors:every=1", "rate-limit-burst:every=1", clock=clock))
    assert all(api.exchange().status == 200 for _ in range(3))
    assert json.loads(api.exchange().body)["token_type"] == "bearer"
