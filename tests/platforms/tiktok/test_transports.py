"""Both transports serve the same mock: in-process at the real host names, and real HTTP on loopback."""

from __future__ import annotations

import json

import httpx
import requests
from tests.platforms.tiktok.support import DETAIL, SHOPS, UK_PENDING_ORDER, Caller

from clawcheck.platforms import build_mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import in_process

PRODUCTION_API = "https://open-api.tiktokglobalshop.com"


def test_in_process_answers_the_production_host_and_journals_its_environment() -> None:
    with in_process("tiktok", environment="production") as mock, httpx.Client() as http:
        caller = Caller(mock, http, base=PRODUCTION_API)
        assert caller.data("GET", SHOPS, cipher=None)["shops"]
        entry = mock.journal.entries()[-1]
        assert (entry.host, entry.environment, entry.operation) == (
            "open-api.tiktokglobalshop.com",
            "production",
            "get_authorized_shops",
        )


def test_in_process_answers_requests_too() -> None:
    with in_process("tiktok") as mock, httpx.Client() as http:
        signed = Caller(mock, http).signed_query(SHOPS, {}, b"", cipher=None, timestamp=None)
        response = requests.get(
            "https://open-api-sandbox.tiktokglobalshop.com" + SHOPS,
            params=signed,
            headers={"x-tts-access-token": mock.credentials["TIKTOK_ACCESS_TOKEN"]},
            timeout=5,
        )
        assert response.json()["code"] == 0


def test_real_http_serves_every_host_and_tells_the_adapter_where() -> None:
    with MockServer(build_mock("tiktok")) as server, httpx.Client() as http:
        env = server.env()
        hosts = json.loads(env["CLAWCHECK_HOSTS"])
        assert set(hosts) == {
            "open-api-sandbox.tiktokglobalshop.com",
            "open-api.tiktokglobalshop.com",
            "auth-sandbox.tiktok-shops.com",
            "auth.tiktok-shops.com",
        }
        assert env["CLAWCHECK_BASE_URL"] == hosts["open-api-sandbox.tiktokglobalshop.com"]
        assert env["CLAWCHECK_AUTH_URL"] == hosts["auth-sandbox.tiktok-shops.com"]
        caller = Caller(server.mock, http, base=env["CLAWCHECK_BASE_URL"])
        order = caller.data("GET", DETAIL, query={"ids": UK_PENDING_ORDER})["orders"][0]
        assert order["status"] == "AWAITING_SHIPMENT"
        refreshed = http.get(
            env["CLAWCHECK_AUTH_URL"] + "/api/v2/token/refresh",
            params={
                "app_key": env["TIKTOK_APP_KEY"],
                "app_secret": env["TIKTOK_APP_SECRET"],
                "refresh_token": env["TIKTOK_REFRESH_TOKEN"],
                "grant_type": "refresh_token",
            },
        ).json()
        assert refreshed["code"] == 0
        assert [e.host for e in server.mock.journal.entries()] == [
            "open-api-sandbox.tiktokglobalshop.com",
            "auth-sandbox.tiktok-shops.com",
        ]
