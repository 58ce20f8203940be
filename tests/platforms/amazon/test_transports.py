"""The same mock in-process (httpx/requests at the real host names) and over real HTTP."""

from __future__ import annotations

import httpx
import requests

from clawcheck.core.results import Status
from clawcheck.platforms.behaviour import evaluate
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import in_process

from .conftest import LWA, NA_PRODUCTION, NA_SANDBOX, US, make_mock

QUERY = {"MarketplaceIds": US, "CreatedAfter": "2020-01-01T00:00:00Z"}


def lwa_form(credentials: dict[str, str]) -> dict[str, str]:
    return {
        "grant_type": "refresh_token",
        "refresh_token": credentials["SP_API_REFRESH_TOKEN"],
        "client_id": credentials["LWA_APP_ID"],
        "client_secret": credentials["LWA_CLIENT_SECRET"],
    }


def test_in_process_httpx_at_the_real_host_names() -> None:
    with in_process("amazon") as mock, httpx.Client() as client:
        token = client.post(f"https://{LWA}/auth/o2/token", data=lwa_form(mock.credentials)).json()
        response = client.get(
            f"https://{NA_SANDBOX}/orders/v0/orders",
            params=QUERY,
            headers={"x-amz-access-token": token["access_token"]},
        )
        assert response.status_code == 200
        assert len(response.json()["payload"]["Orders"]) == 8
        assert [e.host for e in mock.journal.entries()] == [LWA, NA_SANDBOX]
        assert mock.journal.entries()[-1].token_state == "valid"


def test_in_process_requests_at_the_real_host_names() -> None:
    with in_process("amazon", environment="production") as mock:
        token = requests.post(
            f"https://{LWA}/auth/o2/token", data=lwa_form(mock.credentials), timeout=5
        ).json()
        response = requests.get(
            f"https://{NA_PRODUCTION}/orders/v0/orders/113-4829316-7720215",
            headers={"x-amz-access-token": token["access_token"]},
            timeout=5,
        )
        assert response.status_code == 200
        assert response.headers["x-amzn-RateLimit-Limit"] == "0.5"


def test_over_real_http_each_host_has_its_listener() -> None:
    mock = make_mock()
    with MockServer(mock) as server, httpx.Client() as client:
        assert server.base_url == server.url_for(NA_SANDBOX)
        token = client.post(server.url_for(LWA) + "/auth/o2/token", data=lwa_form(mock.credentials)).json()
        headers = {"x-amz-access-token": token["access_token"]}
        response = client.get(server.base_url + "/orders/v0/orders", params=QUERY, headers=headers)
        assert response.status_code == 200
        assert response.headers["x-amzn-requestid"]
        refused = client.get(server.base_url + "/orders/v0/orders", params=QUERY)
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["code"] == "Unauthorized"
        assert [e.host for e in mock.journal.entries()] == [LWA, NA_SANDBOX, NA_SANDBOX]


def test_a_production_request_from_a_sandbox_client_is_caught() -> None:
    mock = make_mock()
    with MockServer(mock) as server, httpx.Client() as client:
        token = client.post(server.url_for(LWA) + "/auth/o2/token", data=lwa_form(mock.credentials)).json()
        headers = {"x-amz-access-token": token["access_token"]}
        client.get(server.url_for(NA_PRODUCTION) + "/orders/v0/orders", params=QUERY, headers=headers)
    assert mock.journal.entries()[-1].environment == "production"
    check = next(c for c in evaluate(mock).checks if c.id == "client.environment_host")
    assert check.status is Status.FAIL
