"""Per-shop token buckets: `rate` tokens a second, holding at most `rate` (at least one)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from clawcheck.sandbox.errors import ApiError

__all__ = ["RateLimiter"]

_MAX_BUCKETS = 10_000
_EPSILON = 1e-9  # clock arithmetic in floats: 100.1 - 100.0 is a hair under 0.1


class RateLimiter:
    """Decides, synchronously, whether a shop may make one more request now.

    Uses a monotonic clock rather than the sandbox's wall clock: tests that jump
    the wall clock forward to expire tokens must not refill buckets.
    """

    __slots__ = ("_buckets", "_capacity", "_enabled", "_now", "_rate", "_retry_after_header")

    def __init__(
        self,
        rate: float,
        *,
        enabled: bool = True,
        retry_after_header: bool = True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate
        self._capacity = max(rate, 1.0)  # a bucket smaller than one token would refuse everything
        self._enabled = enabled
        self._retry_after_header = retry_after_header
        self._now = monotonic
        self._buckets: dict[str, tuple[float, float]] = {}  # shop -> (tokens, last refill)

    def take(self, shop_id: str) -> None:
        """Spend one token or raise 429 RATE_LIMITED with a Retry-After in whole seconds."""
        if not self._enabled:
            return
        now = self._now()
        tokens, last = self._buckets.get(shop_id, (self._capacity, now))
        tokens = min(self._capacity, tokens + (now - last) * self._rate)
        if tokens >= 1.0 - _EPSILON:
            self._remember(shop_id, tokens - 1.0, now)
            return
        self._remember(shop_id, tokens, now)
        wait = max(1, math.ceil((1.0 - tokens) / self._rate))
        headers = {"Retry-After": str(wait)} if self._retry_after_header else {}
        raise ApiError(
            429, "RATE_LIMITED", "rate_limit", f"rate limit exceeded; retry after {wait} s", headers
        )

    def _remember(self, shop_id: str, tokens: float, now: float) -> None:
        buckets = self._buckets
        if shop_id not in buckets and len(buckets) >= _MAX_BUCKETS:
            # Forgetting a bucket only ever refills it, so dropping the oldest is safe enough.
            del buckets[next(iter(buckets))]
        buckets[shop_id] = (tokens, now)
