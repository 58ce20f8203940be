"""Token buckets per seller and per API, the 429 and its headers, and the scenarios that throttle."""

from __future__ import annotations

import pytest
from tests.platforms.walmart.support import Api, Clock, body, error, make_mock

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.walmart import Walmart
from clawcheck.platforms.walmart.state import SELLERS

ACK = "/v3/orders/{}/acknowledge"


def acknowledgeable(api: Api) -> str:
    platform = api.platform
    return next(
        o.purchase_order_id
        for o in platform.state.orders_of(SELLERS[0].partner_id)
        if any(line.quantity_in("Created") for line in o.lines)
    )


def test_the_buckets_hold_walmarts_published_limits() -> None:
    rules = Walmart.rate_limit.per_operation
    assert rules["get_all_orders"].burst == 5000
    assert rules["ship_order"].burst == 60
    assert rules["update_inventory"].burst == 200
    assert all(rule.scope == "shop+operation" for rule in rules.values())


def test_the_61st_acknowledgement_in_a_minute_is_429(api: Api, mock: Mock, clock: Clock) -> None:
    path = ACK.format(acknowledgeable(api))
    counts = [api.call("POST", path).header("x-current-token-count") for _ in range(60)]
    assert counts[0] == "59"
    assert counts[-1] == "0"
    refused = api.call("POST", path)
    assert refused.status == 429
    assert body(refused) == {
        "error": [
            {
                "code": "REQUEST_THRESHOLD_VIOLATED.GMP_GATEWAY_API",
                "description": "Too Many Requests",
                "info": "Request threshold violated.",
                "severity": "ERROR",
                "category": "REQUEST",
                "causes": [],
                "errorIdentifiers": {},
            }
        ]
    }
    assert refused.header("x-current-token-count") == "0"
    assert refused.header("retry-after") is None  # Walmart advertises a time, not a wait
    next_ms = int(refused.header("x-next-replenishment-time") or 0)
    assert next_ms / 1000 - clock.time() == pytest.approx(1.0, abs=0.002)
    entry = mock.journal.entries()[-1]
    assert entry.throttle == "limit"
    assert entry.retry_after_advertised
    assert entry.retry_after == pytest.approx(1.0)
    clock.advance(1.0)
    assert api.call("POST", path).status == 200


def test_other_sellers_and_other_apis_are_unaffected(api: Api, mock: Mock) -> None:
    path = ACK.format(acknowledgeable(api))
    for _ in range(60):
        api.call("POST", path)
    assert api.call("POST", path).status == 429
    assert api.call("GET", "/v3/orders").status == 200  # another bucket of the same seller
    other = Api(mock)
    app = other.platform.seller_app("sandbox", SELLERS[1].partner_id)
    other.login(app.client_id, app.client_secret)
    po_id = next(o.purchase_order_id for o in other.platform.state.orders_of(SELLERS[1].partner_id))
    assert other.call("POST", ACK.format(po_id)).status in (200, 400)  # not 429


def test_a_full_bucket_advertises_no_wait(api: Api, clock: Clock) -> None:
    clock.advance(60)
    response = api.call("GET", "/v3/inventory", query="sku=EO-TENT-2P")
    assert response.header("x-current-token-count") == "199"
    assert int(response.header("x-next-replenishment-time") or 0) / 1000 <= clock.time() + 0.301


def test_rate_limit_burst_answers_walmarts_429(clock: Clock) -> None:
    mock = make_mock(scenarios=["rate-limit-burst:every=2,window=1.5"], clock=clock)
    api = Api(mock)
    api.login()
    assert api.call("GET", "/v3/orders").status == 200
    refused = api.call("GET", "/v3/orders")
    assert refused.status == 429
    assert error(refused)["code"] == "REQUEST_THRESHOLD_VIOLATED.GMP_GATEWAY_API"
    wait = int(refused.header("x-next-replenishment-time") or 0) / 1000 - clock.time()
    assert wait == pytest.approx(1.5, abs=0.002)
    entry = mock.journal.entries()[-1]
    assert (entry.throttle, entry.retry_after) == ("scenario", pytest.approx(1.5))
    assert api.token().status == 200  # the Token API is never throttled by a scenario
