"""Tokens, client authentication, expiry by the injected clock, and the shop header."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from clawcheck.sandbox import Sandbox, SandboxConfig

from .conftest import CLIENT, FAST, SHOP, Api, FakeClock, error_of

TOKEN_FORM = {"grant_type": "client_credentials", "client_id": CLIENT[0], "client_secret": CLIENT[1]}


@pytest.fixture
def http(shared: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=shared.base_url) as client:
        yield client


def test_token_from_form(http: httpx.Client) -> None:
    response = http.post("/v2/oauth/token", data=TOKEN_FORM)
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 7200
    assert token["access_token"]
    assert token["refresh_token"]
    assert isinstance(token["scope"], str)
    assert response.headers["Cache-Control"] == "no-store"


def test_token_from_http_basic(http: httpx.Client) -> None:
    response = http.post("/v2/oauth/token", data={"grant_type": "client_credentials"}, auth=CLIENT)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("form", "auth", "status", "code"),
    [
        ({**TOKEN_FORM, "client_secret": "wrong"}, None, 401, "AUTH_INVALID_CLIENT"),
        ({"grant_type": "client_credentials"}, ("clawcheck-demo", "wrong"), 401, "AUTH_INVALID_CLIENT"),
        ({**TOKEN_FORM, "grant_type": "password"}, None, 400, "UNSUPPORTED_GRANT_TYPE"),
        ({"client_id": CLIENT[0], "client_secret": CLIENT[1]}, None, 400, "VALIDATION_ERROR"),
        ({"grant_type": "client_credentials"}, None, 400, "VALIDATION_ERROR"),
        ({**TOKEN_FORM, "grant_type": "refresh_token"}, None, 400, "VALIDATION_ERROR"),
        (
            {**TOKEN_FORM, "grant_type": "refresh_token", "refresh_token": "nope"},
            None,
            400,
            "AUTH_INVALID_GRANT",
        ),
    ],
)
def test_token_errors(
    http: httpx.Client, form: dict[str, str], auth: tuple[str, str] | None, status: int, code: str
) -> None:
    response = http.post("/v2/oauth/token", data=form, auth=auth)
    assert response.status_code == status
    assert error_of(response)["code"] == code


def test_token_endpoint_wants_a_form(http: httpx.Client) -> None:
    response = http.post("/v2/oauth/token", json=TOKEN_FORM)
    assert response.status_code == 400
    assert error_of(response)["code"] == "VALIDATION_ERROR"


def test_refresh_token_is_single_use(http: httpx.Client, shared: Sandbox) -> None:
    first = http.post("/v2/oauth/token", data=TOKEN_FORM).json()
    refresh = {**TOKEN_FORM, "grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    second = http.post("/v2/oauth/token", data=refresh)
    assert second.status_code == 200
    assert second.json()["access_token"] != first["access_token"]
    again = http.post("/v2/oauth/token", data=refresh)
    assert again.status_code == 400
    assert error_of(again)["code"] == "AUTH_INVALID_GRANT"
    api = Api(shared.base_url, token=second.json()["access_token"])
    assert api.get("/v2/inventory/SKU-RED-M").status_code == 200
    api.close()


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "AUTH_MISSING"),
        ({"Authorization": ""}, "AUTH_MISSING"),
        ({"Authorization": "Bearer not-a-token"}, "AUTH_INVALID_TOKEN"),
        ({"Authorization": "Basic Y2xhd2NoZWNrLWRlbW86eA=="}, "AUTH_INVALID_TOKEN"),
    ],
)
def test_missing_and_invalid_tokens(http: httpx.Client, headers: dict[str, str], code: str) -> None:
    response = http.get("/v2/orders", headers={"X-OpenClaw-Shop-Id": SHOP, **headers})
    assert response.status_code == 401
    error = error_of(response)
    assert (error["code"], error["type"]) == (code, "auth")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_authentication_comes_before_everything_else(http: httpx.Client) -> None:
    # No shop id, no idempotency key, a malformed body: still the 401 first.
    response = http.post("/v2/orders/create", content=b"{nope", headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    assert error_of(response)["code"] == "AUTH_MISSING"


def test_tokens_expire_by_the_injected_clock() -> None:
    clock = FakeClock()
    with Sandbox(SandboxConfig(token_ttl=60, rate_limit=FAST, clock=clock)) as sandbox:
        api = Api(sandbox.base_url)
        assert api.get("/v2/inventory/SKU-RED-M").status_code == 200
        clock.advance(59.9)
        assert api.get("/v2/inventory/SKU-RED-M").status_code == 200
        clock.advance(0.1)
        response = api.get("/v2/inventory/SKU-RED-M")
        assert response.status_code == 401
        assert error_of(response)["code"] == "AUTH_TOKEN_EXPIRED"
        api.token = api.issue_token()  # a new token works again
        assert api.get("/v2/inventory/SKU-RED-M").status_code == 200
        api.close()


@pytest.mark.parametrize("shop", [None, "", "demo", "shop_", "shop_bad!", "shop_" + "x" * 61])
def test_shop_id_header_is_required_and_well_formed(api: Api, shop: str | None) -> None:
    headers = {"Authorization": f"Bearer {api.token}"}
    if shop is not None:
        headers["X-OpenClaw-Shop-Id"] = shop
    response = api.http.get("/v2/orders", headers=headers)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["type"]) == ("SHOP_ID_REQUIRED", "validation")


def test_any_well_formed_shop_is_provisioned_empty(api: Api) -> None:
    api.shop = "shop_brand-new_1"
    assert api.get("/v2/orders").json() == {"data": [], "next_cursor": None}
    response = api.get("/v2/inventory/SKU-RED-M")
    assert response.status_code == 404
    assert error_of(response)["code"] == "SKU_NOT_FOUND"


def test_seeded_demo_shop(api: Api) -> None:
    stock = api.get("/v2/inventory/SKU-BLUE-L").json()
    assert {level["warehouse_id"] for level in stock["levels"]} == {"WH-SZ-01", "WH-LA-01"}


def test_no_seed_leaves_the_demo_shop_empty() -> None:
    with Sandbox(SandboxConfig(seed=False)) as sandbox:
        api = Api(sandbox.base_url)
        assert api.get("/v2/inventory/SKU-RED-M").status_code == 404
        api.close()
