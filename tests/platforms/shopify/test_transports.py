"""Both transports serve the same mock: in-process at the real host names, and real HTTP on loopback."""

from __future__ import annotations

import httpx
import requests
from tests.platforms.shopify.conftest import DEV, TEST

from clawcheck.platforms import build_mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import in_process


def test_in_process_answers_httpx_and_requests_at_the_real_hosts() -> None:
    with in_process("shopify") as mock:
        headers = {"X-Shopify-Access-Token": mock.credentials["SHOPIFY_ACCESS_TOKEN"]}
        url = f"https://{DEV}/admin/api/2024-10/orders.json"
        via_httpx = httpx.get(url, params={"limit": 2}, headers=headers)
        via_requests = requests.get(url, params={"limit": 2}, headers=headers, timeout=5)
        assert via_httpx.status_code == via_requests.status_code == 200
        assert via_httpx.json() == via_requests.json()
        assert via_httpx.headers["link"].startswith(
            f"<https://{DEV}/admin/api/2024-10/orders.json?limit=2&page_info="
        )
        assert [e.host for e in mock.journal.entries()] == [DEV, DEV]


def test_real_http_serves_each_store_on_its_own_listener() -> None:
    mock = build_mock("shopify")
    with MockServer(mock) as server:
        env = server.env()
        assert env["CLAWCHECK_BASE_URL"] == server.url_for(DEV)
        dev_token = {"X-Shopify-Access-Token": env["SHOPIFY_ACCESS_TOKEN"]}
        test_token = {"X-Shopify-Access-Token": mock.platform.state.access[TEST]}
        with httpx.Client(timeout=5) as client:
            mine = client.get(
                server.url_for(DEV) + "/admin/api/2024-10/orders.json", params={"limit": 2}, headers=dev_token
            )
            theirs = client.get(server.url_for(TEST) + "/admin/api/2024-10/orders.json", headers=test_token)
            crossed = client.get(server.url_for(TEST) + "/admin/api/2024-10/orders.json", headers=dev_token)
            # Over HTTP the Link points back at the listener the client used, so it can be followed as is.
            link = mine.headers["link"].split(";")[0][1:-1]
            assert link.startswith(server.url_for(DEV) + "/admin/api/2024-10/orders.json?limit=2&page_info=")
            assert client.get(link, headers=dev_token).status_code == 200
        assert (mine.status_code, theirs.status_code, crossed.status_code) == (200, 200, 401)
        assert {o["currency"] for o in theirs.json()["orders"]} == {"EUR"}
        assert [e.shop for e in mock.journal.entries()] == [DEV, TEST, TEST, DEV]
