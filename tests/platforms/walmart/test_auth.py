"""Token API, WM_SEC.ACCESS_TOKEN, the required headers and the sandbox/production split."""

from __future__ import annotations

import pytest
from tests.platforms.walmart.support import PRODUCTION_HOST, Api, Clock, basic, body, error, make_mock

from clawcheck.errors import ConfigError
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import MockResponse
from clawcheck.platforms.walmart import Walmart
from clawcheck.platforms.walmart.state import SELLERS

ORDERS = "/v3/orders"


class TestTokenExchange:
    def test_client_credentials_give_a_900_second_bearer_token(self, mock: Mock) -> None:
        response = Api(mock).token()
        assert response.status == 200
        data = body(response)
        assert data["token_type"] == "Bearer"
        assert data["expires_in"] == 900
        assert "refresh_token" not in data  # the seller's own flow has no refresh token

    def test_grant_type_in_the_query_string_is_accepted(self, mock: Mock) -> None:
        api = Api(mock)
        assert api.token(form="").status == 200  # Walmart's documented default grant
        credentials = basic(mock.credentials["WALMART_CLIENT_ID"], mock.credentials["WALMART_CLIENT_SECRET"])
        response = api.send(
            "POST",
            "/v3/token",
            query="grant_type=client_credentials",
            headers={**api.service_headers(), "Authorization": credentials},
        )
        assert response.status == 200

    @pytest.mark.parametrize("header", ["WM_QOS.CORRELATION_ID", "WM_SVC.NAME"])
    def test_missing_service_header_is_the_gateways_400(self, mock: Mock, header: str) -> None:
        response = Api(mock).token(headers={header: " "})
        assert response.status == 400
        assert body(response)["error"][0] == {
            "code": "INVALID_REQUEST_HEADER.GMP_GATEWAY_API",
            "field": header,
            "description": f"{header} set blank or null",
            "info": "One or more request headers are invalid.",
            "severity": "ERROR",
            "category": "DATA",
            "causes": [],
            "errorIdentifiers": {},
        }

    def test_wrong_secret_is_an_incorrect_authorization_header(self, mock: Mock) -> None:
        response = Api(mock).token(secret="not-the-secret")
        assert response.status == 400
        assert error(response)["code"] == "INVALID_REQUEST_HEADER.GMP_GATEWAY_API"
        assert error(response)["field"] == "Authorization"

    def test_not_basic_auth_is_refused(self, mock: Mock) -> None:
        response = Api(mock).token(headers={"Authorization": "Bearer abc"})
        assert response.status == 400
        for garbage in ("Basic %%%", "Basic é", "Basic " + "w6k6", "Basic"):
            assert Api(mock).token(headers={"Authorization": garbage}).status == 400

    def test_production_credentials_are_refused_by_the_sandbox(self, mock: Mock) -> None:
        platform = mock.platform
        assert isinstance(platform, Walmart)
        prod = platform.seller_app("production", SELLERS[0].partner_id)
        response = Api(mock).token(prod.client_id, prod.client_secret)
        assert response.status == 400
        assert error(response)["code"] == "INVALID_REQUEST_HEADER.GMP_GATEWAY_API"
        assert "production credentials on the sandbox host" in mock.journal.entries()[-1].notes

    def test_sandbox_credentials_are_refused_by_production(self, mock: Mock) -> None:
        response = Api(mock).token(host=PRODUCTION_HOST)
        assert response.status == 400
        assert mock.journal.entries()[-1].environment == "production"

    def test_a_production_mock_serves_production_credentials(self) -> None:
        mock = make_mock(environment="production")
        api = Api(mock)
        assert api.host == PRODUCTION_HOST
        api.login()
        assert api.call("GET", ORDERS).status == 200

    @pytest.mark.parametrize(
        ("form", "field"),
        [("grant_type=authorization_code&code=x", "code"), ("grant_type=password", "grant_type")],
    )
    def test_other_grants_are_refused(self, mock: Mock, form: str, field: str) -> None:
        response = Api(mock).token(form=form)
        assert response.status == 400
        assert error(response)["code"] == "INVALID_REQUEST_PARAM.GMP_GATEWAY_API"
        assert error(response)["field"] == field


class TestAccessToken:
    def test_a_valid_token_is_accepted_and_journaled(self, api: Api, mock: Mock) -> None:
        assert api.call("GET", ORDERS).status == 200
        entry = mock.journal.entries()[-1]
        assert (entry.token_state, entry.shop, entry.environment) == (
            "valid",
            SELLERS[0].partner_id,
            "sandbox",
        )
        assert entry.token is not None
        assert entry.token.startswith("fp-")
        assert api.access not in entry.token

    def test_missing_token_is_401_unauthorized(self, api: Api, mock: Mock) -> None:
        response = api.call("GET", ORDERS, drop=["WM_SEC.ACCESS_TOKEN"])
        assert response.status == 401
        assert body(response) == {
            "error": [
                {
                    "code": "UNAUTHORIZED.GMP_GATEWAY_API",
                    "field": "UNAUTHORIZED",
                    "description": "Unauthorized",
                    "info": "Unauthorized token or incorrect authorization header.",
                    "severity": "ERROR",
                    "category": "DATA",
                    "causes": [],
                    "errorIdentifiers": {},
                }
            ]
        }
        assert mock.journal.entries()[-1].token_state == "missing"

    def test_bearer_authorization_instead_of_wm_sec_header_is_401(self, api: Api, mock: Mock) -> None:
        response = api.call(
            "GET", ORDERS, drop=["WM_SEC.ACCESS_TOKEN"], headers={"Authorization": f"Bearer {api.access}"}
        )
        assert response.status == 401
        assert any("WM_SEC.ACCESS_TOKEN" in note for note in mock.journal.entries()[-1].notes)

    def test_unknown_token_is_401_invalid(self, api: Api, mock: Mock) -> None:
        assert api.call("GET", ORDERS, token="made-up").status == 401
        assert mock.journal.entries()[-1].token_state == "invalid"

    def test_token_expires_after_900_seconds(self, api: Api, mock: Mock, clock: Clock) -> None:
        clock.advance(899)
        assert api.call("GET", ORDERS).status == 200
        clock.advance(2)
        response = api.call("GET", ORDERS)
        assert response.status == 401
        assert error(response)["code"] == "UNAUTHORIZED.GMP_GATEWAY_API"
        assert mock.journal.entries()[-1].token_state == "expired"
        api.login()  # a new exchange is the seller's refresh
        assert api.call("GET", ORDERS).status == 200

    def test_older_tokens_stay_valid_after_a_new_exchange(self, api: Api) -> None:
        first = api.access
        api.login()
        assert api.call("GET", ORDERS, token=first).status == 200

    def test_a_sandbox_token_is_refused_by_production(self, api: Api, mock: Mock) -> None:
        response = api.call("GET", ORDERS, host=PRODUCTION_HOST)
        assert response.status == 401
        entry = mock.journal.entries()[-1]
        assert (entry.environment, entry.token_state) == ("production", "invalid")
        assert "a sandbox token on the production host" in entry.notes

    @pytest.mark.parametrize("header", ["WM_QOS.CORRELATION_ID", "WM_SVC.NAME"])
    def test_missing_service_header_on_a_call_is_400(self, api: Api, header: str) -> None:
        response = api.call("GET", ORDERS, drop=[header])
        assert response.status == 400
        assert error(response)["code"] == "INVALID_REQUEST_HEADER.GMP_GATEWAY_API"
        assert error(response)["field"] == header

    def test_accept_without_json_is_406(self, api: Api) -> None:
        response = api.call("GET", ORDERS, headers={"Accept": "application/xml"})
        assert response.status == 406
        assert error(response)["code"] == "INVALID_ACCEPT_TYPE.GMP_GATEWAY_API"
        assert api.call("GET", ORDERS, headers={"Accept": "*/*"}).status == 200

    def test_token_detail_reports_the_validity_window(self, api: Api) -> None:
        data = body(api.call("GET", "/v3/token/detail"))
        assert int(data["expire_at"]) - int(data["issued_at"]) == 900_000
        assert data["is_valid"] is True
        assert data["scopes"]["orders"] == "full_access"


class TestRefreshToken:
    """Solution providers: grant_type=refresh_token with WM_PARTNER.ID, refresh token kept."""

    def refresh(self, mock: Mock, *, partner: str | None = None, token: str | None = None) -> MockResponse:
        credentials = mock.credentials
        return Api(mock).token(
            credentials["WALMART_SP_CLIENT_ID"],
            credentials["WALMART_SP_CLIENT_SECRET"],
            form=f"grant_type=refresh_token&refresh_token={token or credentials['WALMART_REFRESH_TOKEN']}",
            headers={"WM_PARTNER.ID": partner if partner is not None else credentials["WALMART_PARTNER_ID"]},
        )

    def test_refresh_gives_a_working_token_and_keeps_the_refresh_token(self, mock: Mock) -> None:
        first = self.refresh(mock)
        second = self.refresh(mock)  # not rotated: the same refresh token works again
        for response in (first, second):
            assert response.status == 200
        access = body(second)["access_token"]
        assert Api(mock).call("GET", ORDERS, token=access).status == 200
        assert Api(mock).call("GET", ORDERS, token=body(first)["access_token"]).status == 200

    def test_refresh_needs_the_partner_id(self, mock: Mock) -> None:
        response = self.refresh(mock, partner="")
        assert response.status == 400
        assert error(response)["field"] == "WM_PARTNER.ID"

    def test_refresh_token_of_another_seller_is_refused(self, mock: Mock) -> None:
        assert self.refresh(mock, partner=SELLERS[1].partner_id).status == 400

    def test_unknown_refresh_token_is_refused(self, mock: Mock) -> None:
        response = self.refresh(mock, token="r-made-up")
        assert response.status == 400
        assert error(response)["field"] == "refresh_token"

    def test_a_seller_app_cannot_use_the_refresh_grant(self, mock: Mock) -> None:
        form = f"grant_type=refresh_token&refresh_token={mock.credentials['WALMART_REFRESH_TOKEN']}"
        assert Api(mock).token(form=form).status == 400

    def test_refresh_token_lives_365_days(self, mock: Mock, clock: Clock) -> None:
        clock.advance(364 * 86400)
        assert self.refresh(mock).status == 200
        clock.advance(2 * 86400)
        assert self.refresh(mock).status == 400


class TestScenarios:
    def test_token_expiry_shortens_the_lifetime(self, clock: Clock) -> None:
        mock = make_mock(scenarios=["token-expiry:ttl=2"], clock=clock)
        api = Api(mock)
        api.login()
        assert body(api.token())["expires_in"] == 2
        clock.advance(2.5)
        assert api.call("GET", ORDERS).status == 401
        assert mock.journal.entries()[-1].token_state == "expired"

    def test_clock_skew_does_not_apply(self) -> None:
        with pytest.raises(ConfigError, match="does not apply to walmart"):
            make_mock(scenarios=["clock-skew"])

    def test_secrets_cover_every_app_and_refresh_token(self, mock: Mock) -> None:
        secrets = set(mock.secrets())
        platform = mock.platform
        assert isinstance(platform, Walmart)
        assert {app.client_secret for app in platform.apps.values()} <= secrets
        assert mock.credentials["WALMART_REFRESH_TOKEN"] in secrets
