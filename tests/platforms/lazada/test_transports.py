"""Both transports serve the same mock: in-process at the real host names, and real HTTP on loopback."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import httpx
import requests

from clawcheck.platforms.lazada.protocol import sign
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import in_process

from .conftest import stock_payload


def _signed(credentials: Mapping[str, str], api: str, **params: str) -> dict[str, str]:
    full = {
        "app_key": credentials["LAZADA_APP_KEY"],
        "timestamp": str(int(time.time() * 1000)),
        "sign_method": "sha256",
        "access_token": credentials["LAZADA_ACCESS_TOKEN"],
        **params,
    }
    full["sign"] = sign(credentials["LAZADA_APP_SECRET"], api, full)
    return full


def _orders(credentials: Mapping[str, str]) -> dict[str, str]:
    return _signed(credentials, "/orders/get", created_after="2026-01-01T00:00:00+00:00")


def test_httpx_in_process_at_the_real_host() -> None:
    with in_process("lazada") as mock:
        answer = httpx.get("https://api.lazada.sg/rest/orders/get", params=_orders(mock.credentials)).json()
        assert answer["code"] == "0"
        assert answer["data"]["countTotal"] == 7
        entry = mock.journal.entries()[-1]
        assert (entry.host, entry.scheme if hasattr(entry, "scheme") else "https") == (
            "api.lazada.sg",
            "https",
        )


def test_requests_in_process_posts_a_form_like_the_sdk() -> None:
    with in_process("lazada") as mock:
        payload = stock_payload(("13449296011", "4"))
        params = _signed(mock.credentials, "/product/stock/sellable/update", payload=payload)
        answer = requests.post(
            "https://api.lazada.sg/rest/product/stock/sellable/update", data=params, timeout=5
        ).json()
        assert answer["code"] == "0"


def test_real_http_on_loopback_with_one_listener_per_host() -> None:
    with in_process("lazada", requests=False) as mock, MockServer(mock) as server:
        hosts: dict[str, Any] = json.loads(server.env()["CLAWCHECK_HOSTS"])
        assert set(hosts) == {"api.lazada.sg", "api.lazada.com.my", "api.lazada.co.th", "auth.lazada.com"}
        assert server.env()["CLAWCHECK_AUTH_URL"] == hosts["auth.lazada.com"]
        with httpx.Client(timeout=5) as http:
            orders = http.get(
                server.url_for("api.lazada.sg") + "/rest/orders/get", params=_orders(mock.credentials)
            )
            assert orders.json()["code"] == "0"
            assert orders.headers["content-type"] == "application/json"
            refresh = _signed(
                mock.credentials,
                "/auth/token/refresh",
                refresh_token=mock.credentials["LAZADA_REFRESH_TOKEN"],
            )
            del refresh["access_token"]
            refresh["sign"] = sign(mock.credentials["LAZADA_APP_SECRET"], "/auth/token/refresh", refresh)
            token = http.post(hosts["auth.lazada.com"] + "/rest/auth/token/refresh", data=refresh).json()
            assert token["code"] == "0"
        assert [e.host for e in mock.journal.entries()] == ["api.lazada.sg", "auth.lazada.com"]
