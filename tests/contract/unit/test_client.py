"""Pacer (with a fake clock), retry_after_seconds, and what the client keeps out of reprs."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from clawcheck.contract import client as client_module
from clawcheck.contract.client import Pacer, Token, retry_after_seconds

from .helpers import exchange

OVERSHOOT = 1e-6


class Stuck(Exception):
    """The pacer kept sleeping without ever letting a request go."""


class FakeTime:
    """A clock that moves only when the code under test sleeps (or the test says so).

    Like a real sleep, a fake one overshoots a little (1 µs): an exact float clock would
    otherwise stall on the rounding error of `(1 - tokens) / rate`.
    """

    def __init__(self, now: float = 1000.0, max_sleeps: int = 1000) -> None:
        self.now = now
        self.sleeps: list[float] = []
        self.max_sleeps = max_sleeps

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0, "a pacer that sleeps 0 s spins"
        if len(self.sleeps) >= self.max_sleeps:
            raise Stuck(f"still waiting after {len(self.sleeps)} sleeps")
        self.sleeps.append(seconds)
        self.now += seconds + OVERSHOOT


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    # Only the client module's view of `time`, so no other thread's sleep is affected.
    monkeypatch.setattr(
        client_module,
        "time",
        SimpleNamespace(sleep=fake.sleep, monotonic=fake.clock, perf_counter=fake.clock),
    )
    return fake


def grant_times(pacer: Pacer, fake: FakeTime, key: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        pacer.wait(key)
        times.append(fake.now)
    return times


@pytest.mark.parametrize("rate", [1.0, 5.0, 8.0, 2.5])
def test_a_full_bucket_allows_rate_requests_then_paces(fake_time: FakeTime, rate: float) -> None:
    pacer = Pacer(rate, clock=fake_time.clock)
    times = grant_times(pacer, fake_time, "shop_a", 30)
    burst = int(rate)
    assert times[:burst] == [1000.0] * burst
    assert fake_time.sleeps[0] == pytest.approx((1 - (rate - burst)) / rate, abs=1e-5)
    gaps = [b - a for a, b in zip(times[burst:], times[burst + 1 :], strict=False)]
    assert all(gap == pytest.approx(1 / rate, abs=1e-5) for gap in gaps)


@pytest.mark.parametrize("rate", [1.0, 3.0, 8.0, 10.0])
def test_never_more_than_rate_in_any_one_second_window_beyond_the_burst(
    fake_time: FakeTime, rate: float
) -> None:
    pacer = Pacer(rate, clock=fake_time.clock)
    times = grant_times(pacer, fake_time, "shop_a", 60)
    for start in times:
        in_window = sum(1 for t in times if start <= t < start + 1.0 - 1e-9)
        assert in_window <= 2 * rate  # a full bucket plus one second of refill, at most
    # Over the whole run: the burst plus `rate` per elapsed second.
    elapsed = times[-1] - times[0]
    assert len(times) <= rate + rate * elapsed + 1e-9


def test_the_bucket_refills_with_time_up_to_its_size(fake_time: FakeTime) -> None:
    pacer = Pacer(5, clock=fake_time.clock)
    grant_times(pacer, fake_time, "shop_a", 5)
    assert fake_time.sleeps == []
    fake_time.now += 0.41  # two tokens back (and a bit: float clocks)
    grant_times(pacer, fake_time, "shop_a", 2)
    assert fake_time.sleeps == []
    pacer.wait("shop_a")
    assert fake_time.sleeps == [pytest.approx((1 - 0.05) / 5, abs=1e-5)]  # 0.05 tokens were left over
    fake_time.now += 60  # idle for long: still only a bucketful
    fake_time.sleeps.clear()
    grant_times(pacer, fake_time, "shop_a", 6)
    assert fake_time.sleeps == [pytest.approx(0.2, abs=1e-5)]


def test_keys_have_buckets_of_their_own(fake_time: FakeTime) -> None:
    pacer = Pacer(2, clock=fake_time.clock)
    for shop in ("shop_a", "shop_b", "shop_c"):
        grant_times(pacer, fake_time, shop, 2)
    assert fake_time.sleeps == []
    pacer.wait("shop_b")
    assert len(fake_time.sleeps) == 1


@pytest.mark.parametrize("rate", [0.5, 0.2])
def test_a_rate_below_one_still_lets_requests_through(fake_time: FakeTime, rate: float) -> None:
    fake_time.max_sleeps = 50
    pacer = Pacer(rate, clock=fake_time.clock)
    times = grant_times(pacer, fake_time, "shop_a", 3)
    assert times[2] - times[1] == pytest.approx(1 / rate, abs=1e-5)


# -- retry_after_seconds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, 1.0),
        ("0", 0.0),
        ("1", 1.0),
        ("1.5", 1.5),
        (" 2 ", 2.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 1.0),
        ("soon", 1.0),
        ("", 1.0),
        ("-3", 0.0),
        ("600", 10.0),
        ("inf", 10.0),
    ],
)
def test_retry_after_seconds(value: str | None, seconds: float) -> None:
    headers = {} if value is None else {"Retry-After": value}
    assert retry_after_seconds(exchange(429, {}, headers=headers)) == seconds


@pytest.mark.parametrize("value", ["nan", "NaN", "-nan"])
def test_retry_after_seconds_is_always_a_finite_wait(value: str) -> None:
    seconds = retry_after_seconds(exchange(429, {}, headers={"Retry-After": value}))
    assert math.isfinite(seconds)


def test_token_repr_hides_the_tokens() -> None:
    token = Token("access-abcdef123", "refresh-abcdef123", 7200.0, 5.0)
    assert "abcdef" not in repr(token)
    assert token.expires_at == 7205.0
