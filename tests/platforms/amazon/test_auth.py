"""LWA token exchange and the x-amz-access-token check, with SP-API's own refusals.

SP-API has no request signature to verify since October 2023 (AWS SigV4 is accepted and
ignored), so the component a client can get wrong is the access token: one changed
character is a revoked/malformed token, and the journal says so.
"""

from __future__ import annotations

import pytest

from clawcheck.platforms.amazon import TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_MISSING

from .conftest import LWA, NORTHWIND, Api, FakeClock, body, error_of

# -- Login with Amazon -------------------------------------------------------------------


def test_exchange_returns_an_hour_long_atza_token_and_the_same_refresh_token(api: Api) -> None:
    response = api.exchange()
    assert response.status == 200
    assert response.header("content-type") == "application/json;charset=UTF-8"
    token = body(response)
    assert token["access_token"].startswith("Atza|")
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == 3600
    assert token["refresh_token"] == api.mock.credentials["SP_API_REFRESH_TOKEN"]  # no rotation
    orders = api.orders(token=token["access_token"])
    assert orders.status == 200


def test_the_refresh_token_keeps_working_and_older_access_tokens_stay_valid(api: Api) -> None:
    first = body(api.exchange())["access_token"]
    second = body(api.exchange())["access_token"]
    assert first != second
    assert api.orders(token=first).status == 200
    assert api.orders(token=second).status == 200


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"client_secret": "amzn1.oa2-cs.v1.wrong"}, 401, "invalid_client"),
        ({"client_id": "amzn1.application-oa2-client.nobody"}, 401, "invalid_client"),
        ({"refresh_token": "Atzr|IwEBnot-a-token"}, 400, "invalid_grant"),
        ({"refresh_token": ""}, 400, "invalid_grant"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": ""}, 400, "invalid_request"),
        ({"client_secret": ""}, 400, "invalid_request"),
        ({"grant_type": "authorization_code", "code": "RHxyz"}, 400, "invalid_grant"),
        ({"grant_type": "client_credentials", "scope": "profile"}, 400, "invalid_scope"),
    ],
)
def test_lwa_refusals_are_oauth_errors(api: Api, change: dict[str, str], status: int, error: str) -> None:
    creds = api.mock.credentials
    form = {
        "grant_type": "refresh_token",
        "refresh_token": creds["SP_API_REFRESH_TOKEN"],
        "client_id": creds["LWA_APP_ID"],
        "client_secret": creds["LWA_CLIENT_SECRET"],
        **change,
    }
    response = api.lwa(**form)
    assert response.status == status
    refusal = body(response)
    assert refusal["error"] == error
    assert refusal["error_description"]


def test_a_grantless_token_cannot_read_seller_data(api: Api) -> None:
    creds = api.mock.credentials
    grantless = api.lwa(
        grant_type="client_credentials",
        scope="sellingpartnerapi::notifications",
        client_id=creds["LWA_APP_ID"],
        client_secret=creds["LWA_CLIENT_SECRET"],
    )
    assert grantless.status == 200
    assert "refresh_token" not in body(grantless)
    refused = api.orders(token=body(grantless)["access_token"])
    assert refused.status == 403
    assert error_of(refused)["code"] == "Unauthorized"


def test_the_token_endpoint_lives_on_api_amazon_com_only(api: Api) -> None:
    creds = api.mock.credentials
    response = api.send("POST", "/auth/o2/token", raw=f"client_id={creds['LWA_APP_ID']}".encode())
    assert response.status == 404
    assert error_of(response)["code"] == "NotFound"
    assert api.send("GET", "/orders/v0/orders", host=LWA).status == 404


# -- the access token on SP-API calls ----------------------------------------------------


def test_a_valid_token_is_accepted_and_journaled_as_a_fingerprint(api: Api) -> None:
    token = api.token()
    assert api.orders().status == 200
    entry = api.mock.journal.entries()[-1]
    assert entry.token_state == "valid"
    assert entry.shop == NORTHWIND
    assert entry.token
    assert entry.token.startswith("fp-")
    assert token not in str(entry.to_dict())
    assert entry.signature is None  # nothing is signed on SP-API


def test_a_missing_token_is_refused(api: Api) -> None:
    response = api.send("GET", "/orders/v0/orders", [("MarketplaceIds", "ATVPDKIKX0DER")])
    assert response.status == 403
    assert error_of(response) == {
        "code": "Unauthorized",
        "message": "Access to requested resource is denied.",
        "details": TOKEN_MISSING,
    }
    assert response.header("x-amzn-RequestId")
    assert api.mock.journal.entries()[-1].token_state == "missing"


@pytest.mark.parametrize("position", [0, 4, 5, 40, -1])
def test_a_token_with_one_character_changed_is_refused(api: Api, position: int) -> None:
    token = api.token()
    index = position % len(token)
    changed = token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1 :]
    response = api.orders(token=changed)
    assert response.status == 403
    assert error_of(response)["details"] == TOKEN_INVALID
    assert api.mock.journal.entries()[-1].token_state == "invalid"


def test_an_expired_token_is_refused_with_amazons_expiry_details(api: Api, clock: FakeClock) -> None:
    token = body(api.exchange())["access_token"]
    clock.advance(3599)
    assert api.orders(token=token).status == 200
    clock.advance(2)
    response = api.orders(token=token)
    assert response.status == 403
    assert error_of(response) == {
        "code": "Unauthorized",
        "message": "Access to requested resource is denied.",
        "details": TOKEN_EXPIRED,
    }
    entry = api.mock.journal.entries()[-1]
    assert entry.token_state == "expired"
    assert entry.shop == NORTHWIND
    fresh = body(api.exchange())["access_token"]  # the refresh token outlives its access tokens
    assert api.orders(token=fresh).status == 200


def test_x_amz_date_is_journaled_as_the_clients_clock(api: Api) -> None:
    api.orders()
    assert api.mock.journal.entries()[-1].client_timestamps == [("x-amz-date", 1_795_262_400.0)]
    headers = {"x-amz-access-token": api.token(), "x-amz-date": "21/11/2026"}
    response = api.send(
        "GET",
        "/orders/v0/orders",
        [("MarketplaceIds", "ATVPDKIKX0DER"), ("CreatedAfter", "2020-01-01")],
        headers=headers,
    )
    assert response.status == 200  # without SigV4 the date is informative only
    assert "x-amz-date unparseable" in api.mock.journal.entries()[-1].notes


def test_a_legacy_sigv4_authorization_header_is_accepted_and_ignored(api: Api) -> None:
    headers = {
        "x-amz-access-token": api.token(),
        "x-amz-date": "20261121T120000Z",
        "authorization": "AWS4-HMAC-SHA256 "
        "Credential=AKIDEXAMPLE/20261121/us-east-1/execute-api/aws4_request, "
        "SignedHeaders=host;x-amz-access-token;x-amz-date, Signature=00ff",
    }
    query = [("MarketplaceIds", "ATVPDKIKX0DER"), ("CreatedAfter", "2020-01-01T00:00:00Z")]
    assert api.send("GET", "/orders/v0/orders", query, headers=headers).status == 200


def test_secrets_never_reach_the_journal(api: Api) -> None:
    api.exchange()
    api.orders()
    written = str(api.mock.journal.to_list())
    assert all(secret not in written for secret in api.mock.secrets())
    assert api.mock.credentials["LWA_CLIENT_SECRET"] in api.mock.secrets()
