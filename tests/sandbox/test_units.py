"""The small parts on their own: rate limiter arithmetic, date-times, fingerprints, store bounds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clawcheck.sandbox import store as store_module
from clawcheck.sandbox.errors import ApiError
from clawcheck.sandbox.idempotency import fingerprint
from clawcheck.sandbox.ratelimit import RateLimiter
from clawcheck.sandbox.store import Store
from clawcheck.sandbox.timefmt import TimeFormat, parse_rfc3339


class Ticker:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _retry_after(limiter: RateLimiter, shop: str = "shop_a") -> int:
    with pytest.raises(ApiError) as caught:
        limiter.take(shop)
    assert (caught.value.status, caught.value.code) == (429, "RATE_LIMITED")
    return int(caught.value.headers["Retry-After"])


def test_bucket_holds_rate_tokens_and_refills() -> None:
    ticker = Ticker()
    limiter = RateLimiter(10, monotonic=ticker)
    for _ in range(10):
        limiter.take("shop_a")
    assert _retry_after(limiter) == 1
    ticker.now += 0.1  # one token back
    limiter.take("shop_a")
    assert _retry_after(limiter) == 1


def test_retry_after_is_whole_seconds_and_enough() -> None:
    ticker = Ticker()
    limiter = RateLimiter(0.25, monotonic=ticker)  # capacity is at least one request
    limiter.take("shop_a")
    wait = _retry_after(limiter)
    assert wait == 4
    ticker.now += wait
    limiter.take("shop_a")


def test_disabled_limiter_and_missing_header() -> None:
    ticker = Ticker()
    never = RateLimiter(1, enabled=False, monotonic=ticker)
    for _ in range(5):
        never.take("shop_a")
    quiet = RateLimiter(1, retry_after_header=False, monotonic=ticker)
    quiet.take("shop_a")
    with pytest.raises(ApiError) as caught:
        quiet.take("shop_a")
    assert "Retry-After" not in caught.value.headers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-19T08:30:00Z", datetime(2026, 3, 19, 8, 30, tzinfo=UTC)),
        ("2026-03-19t08:30:00.123456789z", datetime(2026, 3, 19, 8, 30, 0, 123456, tzinfo=UTC)),
        ("2026-03-19T16:30:00+08:00", datetime(2026, 3, 19, 8, 30, tzinfo=UTC)),
        ("2026-03-19T08:30:00-00:30", datetime(2026, 3, 19, 9, 0, tzinfo=UTC)),
        ("2026-03-19 08:30:00Z", None),
        ("2026-03-19T08:30Z", None),
        ("2026-13-01T00:00:00Z", None),
        ("2026-03-19T24:00:00Z", None),
        ("2026-03-19T08:30:60Z", None),
        ("2026-03-19T08:30:00+24:00", None),
        ("0001-01-01T00:00:00+01:00", None),
        ("２026-03-19T08:30:00Z", None),
    ],
)
def test_parse_rfc3339(text: str, expected: datetime | None) -> None:
    assert parse_rfc3339(text) == expected


def test_time_format_utc_and_local() -> None:
    utc, local = TimeFormat(), TimeFormat(local_time=True)
    whole = datetime(2026, 3, 19, 8, 30, tzinfo=UTC)
    assert utc(whole) == "2026-03-19T08:30:00Z"
    assert utc(whole.replace(microsecond=123000)) == "2026-03-19T08:30:00.123Z"
    assert utc(whole.replace(microsecond=123456)) == "2026-03-19T08:30:00.123456Z"
    assert local(whole) == "2026-03-19T16:30:00+08:00"
    assert local(datetime(9999, 12, 31, 23, 0, tzinfo=UTC)) == "9999-12-31T23:00:00Z"


def test_fingerprint_is_canonical_json_plus_method_and_path() -> None:
    a = fingerprint("POST", "/v2/x", b'{"a":1,"b":2}', {"a": 1, "b": 2})
    assert a == fingerprint("POST", "/v2/x", b'{ "b": 2, "a": 1 }', {"b": 2, "a": 1})
    assert a != fingerprint("POST", "/v2/y", b'{"a":1,"b":2}', {"a": 1, "b": 2})
    assert a != fingerprint("POST", "/v2/x", b'{"a":1,"b":3}', {"a": 1, "b": 3})
    assert fingerprint("POST", "/v2/x", b"not json", None) != fingerprint("POST", "/v2/x", b"other", None)


def test_store_drops_the_oldest_unseeded_shop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "MAX_SHOPS", 3)
    store = Store()
    store.seed("shop_demo", {"SKU-1": {"WH-1": 1}}, datetime(2026, 1, 1, tzinfo=UTC))
    first, second = store.shop("shop_a"), store.shop("shop_b")
    store.shop("shop_c")
    assert len(store) == 3
    assert store.shop("shop_b") is second
    assert store.shop("shop_a") is not first  # evicted, provisioned again
    assert store.shop("shop_demo").levels
