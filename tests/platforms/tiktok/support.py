"""A correct TikTok Shop caller for the tests: signs what it sends, lets a test spoil one part."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.tiktok import TikTokShop
from clawcheck.platforms.tiktok.signing import sign_request

API = "https://open-api-sandbox.tiktokglobalshop.com"
AUTH = "https://auth-sandbox.tiktok-shops.com"
UK_CIPHER = "GCP_XF90igAAAABh00qsWgtvOiGFNqyubMt3"
US_CIPHER = "TTP_Y2vW3QAAAAAd8nS0qQn1rH5sBvJ7Km4x"
MY_CIPHER = "ROW_Mfxq0QAAAADY9jhQTMr4JXq4U19IpM5"
UK_SHOP = "7494105515082810525"
US_SHOP = "7495836452019823461"
SEARCH = "/order/202309/orders/search"
DETAIL = "/order/202309/orders"
SHOPS = "/authorization/202309/shops"
UK_PRODUCT = "1729582718312380101"
US_PRODUCT = "1729582718312380103"
UK_SKU = "1729582718312380201"
US_SKU = "1729582718312380204"
US_WAREHOUSES = ("7159021384750928386", "7159021384750928387")
UK_PENDING_PACKAGE = "1152321127278713100"  # order 576461413038785700, AWAITING_SHIPMENT
UK_PENDING_ORDER = "576461413038785700"

_UNSET: Any = object()


class FakeClock:
    """A clock a test moves by hand (wall time or monotonic)."""

    def __init__(self, start: float) -> None:
        self.value = start

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


def platform(mock: Mock) -> TikTokShop:
    assert isinstance(mock.platform, TikTokShop)
    return mock.platform


@dataclass
class Caller:
    """Sends Open API calls the way a correct client does; every part can be overridden."""

    mock: Mock
    http: httpx.Client
    base: str = API
    token: str = ""
    cipher: str = UK_CIPHER
    clock: Callable[[], float] | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.token = self.token or self.mock.credentials["TIKTOK_ACCESS_TOKEN"]

    def signed_query(
        self, path: str, query: Mapping[str, str], body: bytes, *, cipher: str | None, timestamp: str | None
    ) -> dict[str, str]:
        now = self.clock() if self.clock else self.mock.now()
        params = {**query, "app_key": self.mock.credentials["TIKTOK_APP_KEY"]}
        params["timestamp"] = timestamp if timestamp is not None else str(int(now))
        if cipher:
            params["shop_cipher"] = cipher
        secret = self.mock.credentials["TIKTOK_APP_SECRET"]
        params["sign"] = sign_request(secret, path, list(params.items()), body, "application/json")
        return params

    def send(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: Any = None,
        raw: bytes | None = None,
        cipher: Any = _UNSET,
        token: Any = _UNSET,
        timestamp: str | None = None,
        spoil: Callable[[dict[str, str], bytes], tuple[dict[str, str], bytes]] | None = None,
        content_type: str = "application/json",
    ) -> httpx.Response:
        """`spoil(params, body)` changes the request after it was signed."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        shop = self.cipher if cipher is _UNSET else cipher
        params = self.signed_query(path, query or {}, data, cipher=shop, timestamp=timestamp)
        if spoil:
            params, data = spoil(params, data)
        access = self.token if token is _UNSET else token
        headers = {"content-type": content_type, **self.extra_headers}
        if access is not None:
            headers["x-tts-access-token"] = access
        return self.http.request(
            method, self.base + path, params=params, content=data or None, headers=headers
        )

    def data(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self.send(method, path, **kwargs)
        payload = response.json()
        assert response.status_code == 200, payload
        assert payload["code"] == 0, payload
        assert payload["message"] == "Success"
        return dict(payload["data"])

    def all_orders(
        self, page_size: int = 2, body: Mapping[str, Any] | None = None, **query: str
    ) -> list[dict[str, Any]]:
        orders: list[dict[str, Any]] = []
        token = ""
        for _ in range(100):
            params = {"page_size": str(page_size), **query}
            if token:
                params["page_token"] = token
            data = self.data("POST", SEARCH, query=params, body=dict(body or {}))
            orders.extend(data["orders"])
            token = data["next_page_token"]
            if not token:
                assert data["total_count"] == len(orders)
                return orders
        raise AssertionError("pagination did not end")


def refusal(response: httpx.Response) -> tuple[int, int, str]:
    """(HTTP status, TikTok code, message) of an error answer, checking the envelope on the way."""
    payload = response.json()
    assert set(payload) == {"code", "message", "request_id", "data"}, payload
    assert payload["data"] is None
    assert len(payload["request_id"]) == 34
    assert payload["request_id"][:14].isdigit()
    return response.status_code, payload["code"], payload["message"]
