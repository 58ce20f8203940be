"""Fixtures for the WooCommerce mock: a controllable clock, the mock in-process, clients by auth method."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.testing import intercept_httpx
from clawcheck.platforms.woocommerce import WooCommerce
from clawcheck.platforms.woocommerce.store import ApiKey

STAGING = "staging.shop.clawcheck.test"
PRODUCTION = "shop.clawcheck.test"
API = "/wp-json/wc/v3"
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z


@dataclass
class FakeClock:
    """True time and monotonic time that only move when a test says so."""

    now: float = START
    mono: float = 1000.0

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.mono += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mock(clock: FakeClock) -> Iterator[Mock]:
    built = Mock(WooCommerce, clock=clock.time, monotonic=clock.monotonic)
    with intercept_httpx(built):
        yield built
    built.close()


def adapter_key(mock: Mock) -> ApiKey:
    return mock.platform.state.key("clawcheck-adapter")


def oauth_query(
    key: ApiKey,
    method: str,
    url: str,
    query: Sequence[tuple[str, str]] = (),
    *,
    timestamp: float,
    nonce: str | None = None,
    signature_method: str = "HMAC-SHA256",
) -> list[tuple[str, str]]:
    """An independent OAuth 1.0a signer, written from WooCommerce's PHP (not from the mock)."""
    pairs = [
        *query,
        ("oauth_consumer_key", key.consumer_key),
        ("oauth_timestamp", str(int(timestamp))),
        ("oauth_nonce", nonce or secrets.token_hex(16)),
        ("oauth_signature_method", signature_method),
    ]

    def raw(text: str) -> str:
        return quote(text, safe="")

    joined = "%26".join(raw(f"{raw(k)}={raw(v)}") for k, v in sorted(dict(pairs).items()))
    text = f"{method}&{raw(url)}&{joined}"
    digest = hashlib.sha256 if signature_method == "HMAC-SHA256" else hashlib.sha1
    signed = base64.b64encode(
        hmac.new(f"{key.consumer_secret}&".encode(), text.encode(), digest).digest()
    ).decode()
    return [*pairs, ("oauth_signature", signed)]


@pytest.fixture
def web(mock: Mock) -> Iterator[httpx.Client]:
    """A plain client (one TLS context for the whole test, not one per call)."""
    with httpx.Client() as client:
        yield client


@pytest.fixture
def basic(mock: Mock) -> Iterator[httpx.Client]:
    """HTTPS with Basic auth (in-process at the real staging host)."""
    key = adapter_key(mock)
    with httpx.Client(
        base_url=f"https://{STAGING}{API}", auth=(key.consumer_key, key.consumer_secret)
    ) as client:
        yield client


class OAuthClient:
    """Plain HTTP with OAuth 1.0a query parameters (in-process), signing every request anew."""

    def __init__(self, mock: Mock, clock: FakeClock, key: ApiKey | None = None) -> None:
        self.mock, self.clock = mock, clock
        self.key = key or adapter_key(mock)
        self.client = httpx.Client()

    def request(
        self, method: str, path: str, query: Sequence[tuple[str, str]] = (), **kwargs: object
    ) -> httpx.Response:
        url = f"http://{STAGING}{API}{path}"
        params = oauth_query(self.key, method, url, query, timestamp=self.clock.now)
        return self.client.request(method, url, params=tuple(params), **kwargs)  # type: ignore[arg-type]

    def get(self, path: str, query: Sequence[tuple[str, str]] = ()) -> httpx.Response:
        return self.request("GET", path, query)

    def put(self, path: str, body: object) -> httpx.Response:
        return self.request("PUT", path, json=body)

    def post(self, path: str, body: object) -> httpx.Response:
        return self.request("POST", path, json=body)


@pytest.fixture
def signed(mock: Mock, clock: FakeClock) -> Iterator[OAuthClient]:
    client = OAuthClient(mock, clock)
    yield client
    client.client.close()
