"""The generic scenarios as Walmart answers them, and both transports (respx in-process, real HTTP)."""

from __future__ import annotations

import base64
import uuid
from urllib.parse import parse_qs, unquote

import httpx
import pytest
from tests.platforms.walmart.support import Api, Clock, body, error, make_mock

from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import in_process
from clawcheck.platforms.walmart import PRODUCTION_HOST, SANDBOX_HOST


def service_headers() -> dict[str, str]:
    return {
        "WM_SVC.NAME": "Walmart Marketplace",
        "WM_QOS.CORRELATION_ID": str(uuid.uuid4()),
        "Accept": "application/json",
    }


def token(client: httpx.Client, base: str, credentials: dict[str, str]) -> str:
    basic = base64.b64encode(
        f"{credentials['WALMART_CLIENT_ID']}:{credentials['WALMART_CLIENT_SECRET']}".encode()
    ).decode()
    response = client.post(
        f"{base}/v3/token",
        headers={**service_headers(), "Authorization": f"Basic {basic}"},
        data={"grant_type": "client_credentials"},
    )
    assert response.status_code == 200, response.text
    access: str = response.json()["access_token"]
    return access


class TestScenarios:
    def test_server_errors_are_walmarts_503(self, clock: Clock) -> None:
        mock = make_mock(scenarios=["server-errors:every=1"], clock=clock)
        api = Api(mock)
        api.login()  # the Token API is public: never injected
        response = api.call("GET", "/v3/orders")
        assert response.status == 503
        assert error(response)["code"] == "SYSTEM_ERROR.GMP_GATEWAY_API"
        assert error(response)["category"] == "SYSTEM"
        assert mock.journal.entries()[-1].injected == "server-errors"

    @pytest.mark.parametrize(("status", "code"), [(500, "SYSTEM_ERROR"), (504, "DOWNSTREAM_SYSTEM_TIME_OUT")])
    def test_other_5xx_use_the_services_envelope(self, clock: Clock, status: int, code: str) -> None:
        mock = make_mock(scenarios=[f"server-errors:every=1,status={status}"], clock=clock)
        api = Api(mock)
        api.login()
        response = api.call("GET", "/v3/inventory", query="sku=EO-TENT-2P")
        assert response.status == status
        assert body(response)["errors"]["error"][0]["code"] == f"{code}.GMP_INVENTORY_API"

    def test_slow_delays_responses(self, clock: Clock) -> None:
        mock = make_mock(scenarios=["slow:every=1,delay=0.25"], clock=clock)
        api = Api(mock)
        api.login()
        assert api.call("GET", "/v3/orders").delay == 0.25

    def test_pagination_edges_cursors_must_stay_encoded(self, clock: Clock) -> None:
        mock = make_mock(scenarios=["pagination-edges"], clock=clock)
        api = Api(mock)
        api.login()
        meta = body(api.call("GET", "/v3/orders"))["list"]["meta"]
        assert meta["limit"] == 2
        cursor = meta["nextCursor"]
        raw = parse_qs(cursor[1:])["cursor"][0]
        assert set("+/=") & set(raw)
        assert "%2B" in cursor or "%2F" in cursor  # Walmart's string is already URL-encoded
        assert api.call("GET", "/v3/orders", query=cursor[1:]).status == 200  # appended verbatim
        mangled = api.call("GET", "/v3/orders", query=unquote(cursor[1:]))  # decoded: `+` turns into a space
        assert mangled.status == 400
        assert "bad_cursor" in mock.journal.entries()[-1].notes


class TestTransports:
    def test_in_process_at_the_real_host_names(self) -> None:
        with in_process("walmart") as mock, httpx.Client() as client:
            access = token(client, f"https://{SANDBOX_HOST}", mock.credentials)
            headers = {**service_headers(), "WM_SEC.ACCESS_TOKEN": access}
            response = client.get(f"https://{SANDBOX_HOST}/v3/orders", headers=headers, params={"limit": "2"})
            assert response.status_code == 200
            cursor = response.json()["list"]["meta"]["nextCursor"]
            following = client.get(f"https://{SANDBOX_HOST}/v3/orders{cursor}", headers=headers)
            assert following.status_code == 200
            wrong = client.get(f"https://{PRODUCTION_HOST}/v3/orders", headers=headers)
            assert wrong.status_code == 401
            assert [e.environment for e in mock.journal.entries()][-1] == "production"

    def test_real_http_one_listener_per_host(self) -> None:
        mock = make_mock()
        with MockServer(mock) as server, httpx.Client(timeout=5.0) as client:
            assert server.primary.name == SANDBOX_HOST
            env = server.env()
            access = token(client, server.base_url, mock.credentials)
            headers = {**service_headers(), "WM_SEC.ACCESS_TOKEN": access}
            listed = client.get(f"{server.base_url}/v3/orders", headers=headers, params={"limit": "3"})
            assert listed.status_code == 200
            assert listed.headers["x-current-token-count"] == "4999"
            following = client.get(
                server.base_url + "/v3/orders" + listed.json()["list"]["meta"]["nextCursor"], headers=headers
            )
            assert following.status_code == 200
            production = client.get(f"{server.url_for(PRODUCTION_HOST)}/v3/orders", headers=headers)
            assert production.status_code == 401
            assert production.json()["error"][0]["code"] == "UNAUTHORIZED.GMP_GATEWAY_API"
            assert env["WALMART_CLIENT_ID"] == mock.credentials["WALMART_CLIENT_ID"]
        assert [e.host for e in mock.journal.entries()][-1] == PRODUCTION_HOST
