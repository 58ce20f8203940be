"""Fixtures for the Shopify mock: a mock on injectable clocks, reached by httpx at the real hosts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.shopify import Shopify
from clawcheck.platforms.shopify.state import SHOP_DOMAINS
from clawcheck.platforms.testing import intercept_httpx

DEV, TEST = SHOP_DOMAINS
VERSION = "2024-10"


@dataclass
class Clock:
    """A clock the test moves by hand (the platform clock, or the limiter's monotonic one)."""

    at: float

    def __call__(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds


@dataclass
class Store:
    """One store of the mock, spoken to as a client would (httpx, real host name, token header)."""

    http: httpx.Client
    mock: Mock
    domain: str = DEV
    token: str | None = None

    def __post_init__(self) -> None:
        if self.token is None:
            self.token = self.mock.platform.state.access[self.domain]

    def url(self, path: str) -> str:
        return path if "://" in path else f"https://{self.domain}/admin/api/{VERSION}{path}"

    def headers(self) -> dict[str, str]:
        return {"X-Shopify-Access-Token": self.token} if self.token else {}

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(self.url(path), params=params or None, headers=self.headers())

    def post(self, path: str, body: Any = None, *, content: bytes | None = None) -> httpx.Response:
        if content is not None:
            headers = {**self.headers(), "Content-Type": "application/json"}
            return self.http.post(self.url(path), content=content, headers=headers)
        return self.http.post(self.url(path), json=body, headers=self.headers())

    def oauth(self, **form: str) -> httpx.Response:
        return self.http.post(f"https://{self.domain}/admin/oauth/access_token", data=form)


@pytest.fixture
def clock() -> Clock:
    return Clock(1_795_000_000.0)


@pytest.fixture
def ticks() -> Clock:
    return Clock(1_000.0)


@pytest.fixture
def mock(clock: Clock, ticks: Clock) -> Iterator[Mock]:
    built = Mock(Shopify, clock=clock, monotonic=ticks)
    yield built
    built.close()


@pytest.fixture
def http(mock: Mock) -> Iterator[httpx.Client]:
    with intercept_httpx(mock), httpx.Client() as client:
        yield client


@pytest.fixture
def store(http: httpx.Client, mock: Mock) -> Store:
    return Store(http, mock)


@pytest.fixture
def other(http: httpx.Client, mock: Mock) -> Store:
    return Store(http, mock, TEST)


def credentials(mock: Mock) -> dict[str, str]:
    return {
        "client_id": mock.credentials["SHOPIFY_CLIENT_ID"],
        "client_secret": mock.credentials["SHOPIFY_CLIENT_SECRET"],
    }
