"""Fixtures for the Lazada mock: a mock on injectable clocks and a signing client that calls it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.lazada import Lazada
from clawcheck.platforms.lazada.protocol import sign
from clawcheck.platforms.model import MockRequest

SG, MY, TH = "1000200101", "1000200202", "1000200303"
SG_HOST, MY_HOST, AUTH = "api.lazada.sg", "api.lazada.com.my", "auth.lazada.com"
START = 1_795_000_000.0  # 2026-11-18, the clocks' origin


@dataclass
class Clock:
    """A settable clock for the mock: `now` is Unix time, `mono` the monotonic one."""

    now: float = START
    mono: float = 1000.0

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.mono += seconds


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return str(self.body.get("code"))

    @property
    def data(self) -> Any:
        return self.body["data"]


@dataclass
class Client:
    """A correct Lazada client talking to `mock.handle` directly (the transports have their own tests)."""

    mock: Mock
    clock: Clock
    seller: str = SG
    step: float = 0.15  # seconds between requests: a correct client paces itself under the limit

    @property
    def platform(self) -> Lazada:
        platform = self.mock.platform
        assert isinstance(platform, Lazada)
        return platform

    def token(self, seller: str | None = None) -> str:
        return self.platform.state.sellers[seller or self.seller].access_token

    def signed(
        self, api: str, params: Mapping[str, str], *, token: str | None = "", seller: str | None = None
    ) -> dict[str, str]:
        state = self.platform.state
        full = {
            "app_key": state.app_key,
            "timestamp": str(int(self.clock.now * 1000)),
            "sign_method": "sha256",
            **params,
        }
        access = self.token(seller) if token == "" else token
        if access is not None and not api.startswith("/auth/"):
            full["access_token"] = access
        full["sign"] = sign(state.app_secret, api, full)
        return full

    def send(
        self, method: str, host: str, api: str, params: Mapping[str, str], *, as_form: bool = False
    ) -> Answer:
        self.clock.advance(self.step)
        body = urlencode(params).encode() if as_form else b""
        request = MockRequest.build(
            method,
            "/rest" + api,
            host=host,
            query_string="" if as_form else urlencode(params),
            headers=[("content-type", "application/x-www-form-urlencoded")] if as_form else [],
            body=body,
        )
        response = self.mock.handle(request)
        return Answer(response.status, json.loads(response.body), response.headers)

    def get(self, api: str, host: str = SG_HOST, seller: str | None = None, **params: str) -> Answer:
        return self.send("GET", host, api, self.signed(api, params, seller=seller))

    def post(self, api: str, host: str = SG_HOST, seller: str | None = None, **params: str) -> Answer:
        return self.send("POST", host, api, self.signed(api, params, seller=seller), as_form=True)

    def auth(self, api: str, **params: str) -> Answer:
        return self.send("POST", AUTH, api, self.signed(api, params, token=None), as_form=True)

    def orders(self, seller: str | None = None, host: str = SG_HOST, **params: str) -> Answer:
        query = {"created_after": "2026-01-01T00:00:00+00:00", **params}
        return self.get("/orders/get", host, seller, **query)


def stock_payload(*skus: tuple[str, str], tag: str = "SellableQuantity") -> str:
    """An UpdateSellableQuantity / UpdatePriceQuantity payload for (SkuId, quantity) pairs."""
    body = "".join(f"<Sku><SkuId>{sku}</SkuId><{tag}>{quantity}</{tag}></Sku>" for sku, quantity in skus)
    return f"<Request><Product><Skus>{body}</Skus></Product></Request>"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mock(clock: Clock) -> Iterator[Mock]:
    built = Mock(Lazada, clock=lambda: clock.now, monotonic=lambda: clock.mono)
    yield built
    built.close()


@pytest.fixture
def client(mock: Mock, clock: Clock) -> Client:
    return Client(mock, clock)
