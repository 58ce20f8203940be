"""Tokens as Shopee runs them: 4-hour access tokens, single-use 30-day refresh tokens, codes."""

from __future__ import annotations

import pytest

from clawcheck.platforms.engine import Mock

from .conftest import DAY, MY, SG, ShopeeClient

ORDER_LIST = "/api/v2/order/get_order_list"


def test_a_valid_token_is_accepted_and_journaled_by_fingerprint(client: ShopeeClient, mock: Mock) -> None:
    assert client.list_orders().status == 200
    entry = mock.journal.entries()[-1]
    assert (entry.token_state, entry.signature, entry.shop) == ("valid", "valid", str(SG))
    assert entry.token is not None
    assert entry.token.startswith("fp-")
    assert client.token() not in str(entry.to_dict())


def test_a_missing_token_is_error_param(client: ShopeeClient, mock: Mock) -> None:
    answer = client.call("GET", ORDER_LIST, common={"access_token": None})
    assert (answer.status, answer.error) == (400, "error_param")
    assert answer.data["message"] == "There is no access_token in query."
    assert mock.journal.entries()[-1].token_state == "missing"


def test_an_unknown_token_is_error_auth(client: ShopeeClient, mock: Mock) -> None:
    answer = client.call("GET", ORDER_LIST, token="0" * 32)
    assert (answer.status, answer.error, answer.data["message"]) == (
        403,
        "error_auth",
        "Invalid access_token.",
    )
    assert mock.journal.entries()[-1].token_state == "invalid"


def test_an_expired_token_is_invalid_acceess_token(client: ShopeeClient, mock: Mock) -> None:
    client.clock.advance(4 * 3600 + 1)
    answer = client.list_orders()
    assert (answer.status, answer.error) == (403, "invalid_acceess_token")
    assert answer.data["message"] == "Invalid access_token."
    assert mock.journal.entries()[-1].token_state == "expired"


def test_a_token_only_works_for_its_own_shop(client: ShopeeClient) -> None:
    answer = client.call("GET", ORDER_LIST, token=client.token(MY), shop_id=SG)
    assert (answer.status, answer.error) == (403, "error_auth")


def test_refresh_rotates_both_tokens(client: ShopeeClient, mock: Mock) -> None:
    old_access, old_refresh = client.platform.state.current[SG]
    answer = client.refresh(old_refresh)
    assert answer.status == 200, answer.data
    data = answer.data
    assert data["error"] == ""
    assert (data["expire_in"], data["shop_id"], data["partner_id"]) == (
        14400,
        SG,
        client.platform.partner.partner_id,
    )
    assert data["access_token"] != old_access
    assert data["refresh_token"] != old_refresh
    assert len(data["access_token"]) == len(data["refresh_token"]) == 32
    entry = mock.journal.entries()[-1]
    assert (entry.operation, entry.signature, entry.shop) == ("refresh_access_token", "valid", str(SG))
    assert client.list_orders().status == 200  # with the new token


def test_a_used_refresh_token_stops_working(client: ShopeeClient) -> None:
    old_refresh = client.platform.state.current[SG][1]
    assert client.refresh(old_refresh).status == 200
    again = client.refresh(old_refresh)
    assert (again.status, again.error, again.data["message"]) == (403, "error_auth", "Invalid refresh_token.")
    newest = client.platform.state.current[SG][1]
    assert client.refresh(newest).status == 200


def test_the_old_access_token_lives_five_more_minutes(client: ShopeeClient) -> None:
    old_access, old_refresh = client.platform.state.current[SG]
    client.refresh(old_refresh)
    client.clock.advance(240)
    assert client.call("GET", ORDER_LIST, _window(client), token=old_access).status == 200
    client.clock.advance(61)
    late = client.call("GET", ORDER_LIST, _window(client), token=old_access)
    assert (late.status, late.error) == (403, "invalid_acceess_token")


def test_a_refresh_token_expires_after_30_days(client: ShopeeClient) -> None:
    client.clock.advance(30 * DAY + 1)
    answer = client.refresh(client.platform.state.current[SG][1])
    assert (answer.status, answer.error) == (403, "error_auth")


def test_a_refresh_token_is_bound_to_its_shop(client: ShopeeClient) -> None:
    answer = client.refresh(client.platform.state.current[SG][1], shop_id=MY)
    assert (answer.status, answer.error) == (403, "error_auth")


def test_the_authorization_code_gets_tokens_once(client: ShopeeClient, mock: Mock) -> None:
    code = mock.credentials["SHOPEE_AUTH_CODE"]
    body = {"code": code, "shop_id": SG, "partner_id": client.platform.partner.partner_id}
    first = client.call("POST", "/api/v2/auth/token/get", body=body)
    assert first.status == 200, first.data
    assert first.data["expire_in"] == 14400
    assert first.data["access_token"] == client.token()
    second = client.call("POST", "/api/v2/auth/token/get", body=body)
    assert (second.status, second.error) == (403, "invalid_code")


def test_the_authorization_code_expires_after_ten_minutes(client: ShopeeClient, mock: Mock) -> None:
    client.clock.advance(601)
    body = {
        "code": mock.credentials["SHOPEE_AUTH_CODE"],
        "shop_id": SG,
        "partner_id": client.platform.partner.partner_id,
    }
    answer = client.call("POST", "/api/v2/auth/token/get", body=body)
    assert (answer.status, answer.error) == (403, "invalid_code")


@pytest.mark.parametrize("body_partner", [1, "1007820", None])
def test_token_endpoints_need_the_partner_id_in_the_body(client: ShopeeClient, body_partner: object) -> None:
    body = {"refresh_token": client.platform.state.current[SG][1], "shop_id": SG, "partner_id": body_partner}
    answer = client.call("POST", "/api/v2/auth/access_token/get", body=body)
    assert answer.status in (400, 403)
    assert answer.error in ("error_param", "invalid_partner_id")


def test_the_other_environments_partner_id_is_invalid(client: ShopeeClient) -> None:
    answer = client.call("GET", ORDER_LIST, _window(client), common={"partner_id": "2006314"})
    assert (answer.status, answer.error) == (403, "invalid_partner_id")


@pytest.mark.parametrize("host", ["partner.shopeemobile.com", "openplatform.shopee.com.br"])
def test_a_sandbox_app_on_a_production_host_is_an_unknown_partner(
    client: ShopeeClient, mock: Mock, host: str
) -> None:
    client.host = host
    answer = client.list_orders()
    assert (answer.status, answer.error) == (403, "invalid_partner_id")
    assert mock.journal.entries()[-1].environment == "production"


@pytest.mark.parametrize(
    "host", ["partner.test-stable.shopeemobile.com", "openplatform.sandbox.test-stable.shopee.cn"]
)
def test_every_sandbox_host_serves_the_sandbox_app(client: ShopeeClient, host: str) -> None:
    client.host = host
    assert client.list_orders().status == 200


def test_credentials_hold_the_first_shops_tokens_and_never_reach_the_journal(
    client: ShopeeClient, mock: Mock
) -> None:
    creds = mock.credentials
    assert set(creds) == {
        "SHOPEE_PARTNER_ID",
        "SHOPEE_PARTNER_KEY",
        "SHOPEE_SHOP_ID",
        "SHOPEE_ACCESS_TOKEN",
        "SHOPEE_REFRESH_TOKEN",
        "SHOPEE_AUTH_CODE",
    }
    assert creds["SHOPEE_SHOP_ID"] == str(SG)
    client.list_orders()
    client.refresh(creds["SHOPEE_REFRESH_TOKEN"])
    journal = str(mock.journal.to_list())
    for name in ("SHOPEE_PARTNER_KEY", "SHOPEE_ACCESS_TOKEN", "SHOPEE_REFRESH_TOKEN"):
        assert creds[name] not in journal
        assert creds[name] in mock.secrets()
    assert creds["SHOPEE_AUTH_CODE"] in mock.secrets()


def _window(client: ShopeeClient) -> dict[str, object]:
    now = int(client.clock.now)
    return {"time_range_field": "create_time", "time_from": now - DAY, "time_to": now, "page_size": 10}
