"""Both transports serve the same mock: httpx/requests in-process at the real host names, and
real HTTP on loopback with one listener per real host."""

from __future__ import annotations

import time
from typing import Any

import httpx
import requests

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.shopee import Shopee, base_string, sign
from clawcheck.platforms.testing import in_process

ORDER_LIST = "/api/v2/order/get_order_list"
SANDBOX = "openplatform.sandbox.test-stable.shopee.sg"
LEGACY_SANDBOX = "partner.test-stable.shopeemobile.com"
PRODUCTION = "partner.shopeemobile.com"


def signed(mock: Mock, path: str = ORDER_LIST) -> dict[str, Any]:
    creds = mock.credentials
    partner, token, shop = creds["SHOPEE_PARTNER_ID"], creds["SHOPEE_ACCESS_TOKEN"], creds["SHOPEE_SHOP_ID"]
    now = int(time.time())
    base = base_string(partner, path, str(now), token, shop)
    return {
        "partner_id": partner,
        "timestamp": now,
        "access_token": token,
        "shop_id": shop,
        "sign": sign(creds["SHOPEE_PARTNER_KEY"], base),
        "time_range_field": "update_time",
        "time_from": now - 86400 * 7,
        "time_to": now,
        "page_size": 50,
    }


def test_httpx_in_process_at_the_real_sandbox_host() -> None:
    with in_process("shopee") as mock, httpx.Client() as http:
        response = http.get(f"https://{SANDBOX}{ORDER_LIST}", params=signed(mock))
    assert response.status_code == 200
    assert response.json()["response"]["order_list"]
    entry = mock.journal.entries()[-1]
    assert (entry.host, entry.environment, entry.signature) == (SANDBOX, "sandbox", "valid")


def test_requests_in_process_at_the_legacy_sandbox_host() -> None:
    with in_process("shopee") as mock:
        response = requests.get(f"https://{LEGACY_SANDBOX}{ORDER_LIST}", params=signed(mock), timeout=5)
    assert response.status_code == 200
    assert mock.journal.entries()[-1].host == LEGACY_SANDBOX


def test_real_http_with_one_listener_per_host() -> None:
    mock = Mock(Shopee)
    with MockServer(mock) as server, httpx.Client() as http:
        assert server.base_url == server.url_for(SANDBOX)
        assert set(server.urls) == {h.name for h in mock.platform.hosts}
        ok = http.get(server.url_for(SANDBOX) + ORDER_LIST, params=signed(mock))
        legacy = http.get(server.url_for(LEGACY_SANDBOX) + ORDER_LIST, params=signed(mock))
        live = http.get(server.url_for(PRODUCTION) + ORDER_LIST, params=signed(mock))
    assert (ok.status_code, legacy.status_code) == (200, 200)
    assert ok.headers["content-type"] == "application/json"
    assert (live.status_code, live.json()["error"]) == (403, "invalid_partner_id")
    hosts = [(e.host, e.environment) for e in mock.journal.entries()]
    assert hosts == [(SANDBOX, "sandbox"), (LEGACY_SANDBOX, "sandbox"), (PRODUCTION, "production")]


def test_the_production_mock_serves_the_live_app_on_the_live_host() -> None:
    with in_process("shopee", environment="production") as mock, httpx.Client() as http:
        live = http.get(f"https://{PRODUCTION}{ORDER_LIST}", params=signed(mock))
        sandbox = http.get(f"https://{SANDBOX}{ORDER_LIST}", params=signed(mock))
    assert live.status_code == 200
    assert (sandbox.status_code, sandbox.json()["error"]) == (403, "invalid_partner_id")
    assert mock.credentials["SHOPEE_PARTNER_ID"] == "2006314"
