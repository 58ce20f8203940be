"""The leaky bucket: 40 requests per app and store, leaking 2 per second; Shopify's 429."""

from __future__ import annotations

from tests.platforms.shopify.conftest import Clock, Store

from clawcheck.platforms.shopify.platform import THROTTLED


def test_every_response_says_how_full_the_bucket_is(store: Store, ticks: Clock) -> None:
    levels = [store.get("/locations.json").headers["x-shopify-shop-api-call-limit"] for _ in range(3)]
    assert levels == ["1/40", "2/40", "3/40"]
    ticks.advance(1.0)  # two leak out
    assert store.get("/locations.json").headers["x-shopify-shop-api-call-limit"] == "2/40"


def test_the_41st_request_in_a_burst_is_throttled_with_shopifys_429(store: Store, ticks: Clock) -> None:
    statuses = [store.get("/locations.json").status_code for _ in range(40)]
    assert set(statuses) == {200}
    response = store.get("/locations.json")
    assert response.status_code == 429
    assert response.json() == {"errors": THROTTLED}
    assert response.headers["retry-after"] == "2.0"
    assert response.headers["x-shopify-shop-api-call-limit"] == "40/40"
    entry = store.mock.journal.entries()[-1]
    assert (entry.throttle, entry.retry_after, entry.retry_after_advertised) == ("limit", 2.0, True)
    ticks.advance(0.5)  # one request leaks out
    assert store.get("/locations.json").status_code == 200
    assert store.get("/locations.json").status_code == 429


def test_the_bucket_is_per_store(store: Store, other: Store) -> None:
    for _ in range(40):
        store.get("/locations.json")
    assert store.get("/locations.json").status_code == 429
    assert other.get("/locations.json").status_code == 200
    assert other.get("/locations.json").headers["x-shopify-shop-api-call-limit"] == "2/40"


def test_refused_requests_do_not_fill_the_bucket(store: Store) -> None:
    store.token = "shpat_madeup"
    for _ in range(50):
        assert store.get("/locations.json").status_code == 401
    store.token = store.mock.platform.state.access[store.domain]
    assert store.get("/locations.json").headers["x-shopify-shop-api-call-limit"] == "1/40"


def test_the_token_endpoint_is_outside_the_bucket(store: Store) -> None:
    for _ in range(45):
        assert store.oauth(client_id="x", client_secret="y").status_code == 401
