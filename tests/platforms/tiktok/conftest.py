from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from tests.platforms.tiktok.support import Caller, FakeClock

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.testing import intercept_httpx
from clawcheck.platforms.tiktok import TikTokShop


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(time.time())


@pytest.fixture
def monotonic() -> FakeClock:
    return FakeClock(1000.0)


@pytest.fixture
def mock(clock: FakeClock, monotonic: FakeClock) -> Iterator[Mock]:
    """A sandbox mock on hand-moved clocks, answering httpx at the real host names."""
    built = Mock(TikTokShop, clock=clock, monotonic=monotonic)
    with intercept_httpx(built):
        yield built
    built.close()


@pytest.fixture
def caller(mock: Mock) -> Iterator[Caller]:
    with httpx.Client() as http:
        yield Caller(mock, http)
