"""The per-shop limit: 10 requests per second; over it Shopee's error_rate_limit, with no wait advertised."""

from __future__ import annotations

from clawcheck.platforms.engine import Mock

from .conftest import MY, SG, ShopeeClient

RATE_LIMITED = "Too many requests. You have reached the rate limit. Please try again later."


def test_the_eleventh_request_in_a_second_is_throttled(client: ShopeeClient, mock: Mock) -> None:
    client.step = 0.0
    statuses = [client.list_orders().status for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    throttled = client.list_orders()
    assert (throttled.status, throttled.error, throttled.data["message"]) == (
        429,
        "error_rate_limit",
        RATE_LIMITED,
    )
    assert "retry-after" not in {k.lower() for k in throttled.headers}
    entry = mock.journal.entries()[-1]
    assert (entry.throttle, entry.retry_after_advertised, entry.shop) == ("limit", False, str(SG))
    assert entry.retry_after is not None
    assert entry.retry_after > 0


def test_other_shops_keep_their_own_budget(client: ShopeeClient) -> None:
    client.step = 0.0
    for _ in range(11):
        client.list_orders()
    assert client.list_orders().status == 429
    client.shop_id = MY
    assert [client.list_orders().status for _ in range(10)] == [200] * 10


def test_the_budget_refills_at_ten_per_second(client: ShopeeClient) -> None:
    client.step = 0.0
    for _ in range(10):
        client.list_orders()
    assert client.list_orders().status == 429
    client.clock.advance(0.11)  # one token (and a little: the clock is a float)
    assert client.list_orders().status == 200
    assert client.list_orders().status == 429


def test_the_token_endpoints_are_not_throttled_by_the_shop_budget(client: ShopeeClient) -> None:
    client.step = 0.0
    for _ in range(11):
        client.list_orders()
    assert client.refresh(client.platform.state.current[SG][1]).status == 200
