"""Seller authorization: access tokens on every call, code exchange and refresh on auth.lazada.com."""

from __future__ import annotations

import pytest

from clawcheck.platforms.lazada import DAY

from .conftest import AUTH, MY, SG, SG_HOST, Client


def test_a_valid_token_is_accepted_and_identifies_the_seller(client: Client) -> None:
    assert client.orders().code == "0"
    entry = client.mock.journal.entries()[-1]
    assert (entry.shop, entry.token_state) == (SG, "valid")
    assert entry.token is not None
    assert entry.token.startswith("fp-")


def test_a_missing_token_is_missing_parameter(client: Client) -> None:
    params = client.signed("/orders/get", {"created_after": "2026-01-01T00:00:00+00:00"}, token=None)
    answer = client.send("GET", SG_HOST, "/orders/get", params)
    assert answer.code == "MissingParameter"
    assert "“access_token”" in answer.body["message"]
    assert client.mock.journal.entries()[-1].token_state == "missing"


def test_an_unknown_token_is_illegal(client: Client) -> None:
    params = client.signed(
        "/orders/get", {"created_after": "2026-01-01T00:00:00+00:00"}, token="50000nottoken"
    )
    answer = client.send("GET", SG_HOST, "/orders/get", params)
    assert answer.body == {
        "type": "ISV",
        "code": "IllegalAccessToken",
        "message": "The specified access token is invalid or expired",
        "request_id": answer.body["request_id"],
    }
    assert client.mock.journal.entries()[-1].token_state == "invalid"


def test_an_expired_token_is_illegal_and_journaled_expired(client: Client) -> None:
    client.clock.advance(30 * DAY + 1)
    answer = client.orders()
    assert answer.code == "IllegalAccessToken"
    entry = client.mock.journal.entries()[-1]
    assert (entry.token_state, entry.shop) == ("expired", SG)


def _refresh(client: Client, value: str) -> dict[str, object]:
    answer = client.auth("/auth/token/refresh", refresh_token=value)
    assert answer.status == 200
    return answer.body


def test_refresh_issues_new_tokens_with_the_real_lifetimes(client: Client) -> None:
    old_access, old_refresh = client.token(), client.platform.state.sellers[SG].refresh_token
    body = _refresh(client, old_refresh)
    assert body["code"] == "0"
    assert body["expires_in"] == 30 * DAY
    assert body["country"] == "sg"
    assert body["country_user_info"] == [
        {"country": "sg", "seller_id": SG, "user_id": "200101", "short_code": "SG4KX7A"}
    ]
    assert body["access_token"] != old_access
    assert body["refresh_token"] != old_refresh
    assert client.orders().code == "0"  # the client's helper uses the seller's newest token


def test_refresh_does_not_reset_the_refresh_tokens_lifetime(client: Client) -> None:
    client.clock.advance(10 * DAY)
    body = _refresh(client, client.platform.state.sellers[SG].refresh_token)
    assert body["refresh_expires_in"] == pytest.approx(170 * DAY, abs=2)
    client.clock.advance(171 * DAY)
    assert _refresh(client, str(body["refresh_token"]))["code"] == "IllegalRefreshToken"


def test_the_old_refresh_token_is_spent_after_a_refresh(client: Client) -> None:
    old = client.platform.state.sellers[SG].refresh_token
    assert _refresh(client, old)["code"] == "0"
    again = _refresh(client, old)
    assert again["code"] == "IllegalRefreshToken"
    assert again["message"] == "The specified refresh token is invalid or expired"


def test_the_old_access_token_keeps_working_until_it_expires(client: Client) -> None:
    old = client.token()
    _refresh(client, client.platform.state.sellers[SG].refresh_token)
    params = client.signed("/orders/get", {"created_after": "2026-01-01T00:00:00+00:00"}, token=old)
    assert client.send("GET", SG_HOST, "/orders/get", params).code == "0"


def test_a_refresh_needs_a_valid_app_signature(client: Client) -> None:
    params = client.signed("/auth/token/refresh", {"refresh_token": "x"}, token=None)
    params["sign"] = "0" * 64
    assert (
        client.send("POST", AUTH, "/auth/token/refresh", params, as_form=True).code == "IncompleteSignature"
    )
    assert client.mock.journal.entries()[-1].signature == "invalid"


def test_an_authorization_code_is_exchanged_once(client: Client) -> None:
    code = client.platform.new_auth_code(MY)
    body = client.auth("/auth/token/create", code=code).body
    assert body["code"] == "0"
    assert body["country"] == "my"
    assert body["refresh_expires_in"] == 180 * DAY
    assert (
        client.get("/orders/get", "api.lazada.com.my", MY, created_after="2026-01-01T00:00:00+08:00").code
        == "0"
    )
    assert client.auth("/auth/token/create", code=code).code == "InvalidCode"


def test_an_authorization_code_expires_after_half_an_hour(client: Client) -> None:
    code = client.platform.new_auth_code(SG)
    client.clock.advance(1801)
    assert client.auth("/auth/token/create", code=code).code == "InvalidCode"


def test_token_exchange_is_only_served_by_auth_lazada_com(client: Client) -> None:
    params = client.signed("/auth/token/create", {"code": client.platform.new_auth_code(SG)}, token=None)
    assert client.send("POST", SG_HOST, "/auth/token/create", params, as_form=True).code == "InvalidApiPath"


def test_an_api_on_the_auth_host_is_an_invalid_path(client: Client) -> None:
    assert client.orders(host=AUTH).code == "InvalidApiPath"


def test_a_wrong_http_method_is_unsupported(client: Client) -> None:
    params = client.signed("/orders/get", {"created_after": "2026-01-01T00:00:00+00:00"})
    answer = client.send("POST", SG_HOST, "/orders/get", params, as_form=True)
    assert (answer.status, answer.code) == (200, "UnsupportedHTTPMethod")
