"""Tokens (exchange, refresh, expiry), the timestamp window and the shop cipher."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.platforms.tiktok.support import (
    AUTH,
    MY_CIPHER,
    SEARCH,
    SHOPS,
    UK_CIPHER,
    US_CIPHER,
    Caller,
    FakeClock,
    platform,
    refusal,
)

from clawcheck.platforms.engine import Mock

WEEK = 7 * 86400


def _token_call(mock: Mock, http: httpx.Client, path: str, **params: str) -> dict[str, Any]:
    query = {
        "app_key": mock.credentials["TIKTOK_APP_KEY"],
        "app_secret": mock.credentials["TIKTOK_APP_SECRET"],
        **params,
    }
    response = http.get(AUTH + path, params=query)
    assert response.status_code == 200  # TikTok's token endpoints answer errors in the body
    payload: dict[str, Any] = response.json()
    return payload


def _refresh(mock: Mock, http: httpx.Client, refresh_token: str) -> dict[str, Any]:
    return _token_call(
        mock, http, "/api/v2/token/refresh", refresh_token=refresh_token, grant_type="refresh_token"
    )


def test_the_seeded_token_is_valid_and_the_credentials_say_when_it_expires(
    mock: Mock, caller: Caller
) -> None:
    assert int(mock.credentials["TIKTOK_ACCESS_TOKEN_EXPIRE_IN"]) == int(mock.now()) + WEEK
    shops = caller.data("GET", SHOPS, cipher=None)["shops"]
    assert [s["cipher"] for s in shops] == [UK_CIPHER, US_CIPHER]  # one seller, two shops, one token


@pytest.mark.parametrize(
    ("token", "state"),
    [(None, "missing"), ("", "missing"), ("ROW_not-a-token", "invalid")],
)
def test_a_missing_or_unknown_token_is_refused(
    mock: Mock, caller: Caller, token: str | None, state: str
) -> None:
    response = caller.send("GET", SHOPS, cipher=None, token=token)
    assert refusal(response) == (
        401,
        36009004,
        "Invalid credentials. The `x-tts-access-token` header is invalid.",
    )
    assert mock.journal.entries()[-1].token_state == state


def test_an_expired_token_is_refused_with_105002(mock: Mock, caller: Caller, clock: FakeClock) -> None:
    clock.advance(WEEK + 1)
    response = caller.send("POST", SEARCH, query={"page_size": "5"})
    status, code, message = refusal(response)
    assert (status, code) == (401, 105002)
    assert message.startswith("Expired credentials.")
    entry = mock.journal.entries()[-1]
    assert (entry.token_state, entry.signature) == ("expired", "valid")


def test_refresh_gives_a_new_pair_with_absolute_expiries_and_retires_the_old_refresh_token(
    mock: Mock, caller: Caller, clock: FakeClock
) -> None:
    clock.advance(WEEK + 1)
    old_refresh = mock.credentials["TIKTOK_REFRESH_TOKEN"]
    payload = _refresh(mock, caller.http, old_refresh)
    assert (payload["code"], payload["message"]) == (0, "success")
    data = payload["data"]
    now = int(clock())
    assert data["access_token_expire_in"] == now + WEEK  # an absolute Unix time, not a duration
    assert data["refresh_token_expire_in"] == now + 365 * 86400
    assert data["refresh_token"] != old_refresh
    assert data["open_id"] == platform(mock).main_seller
    caller.token = data["access_token"]
    caller.data("POST", SEARCH, query={"page_size": "5"})
    again = _refresh(mock, caller.http, old_refresh)
    assert (again["code"], again["data"]) == (36004004, None)
    assert _refresh(mock, caller.http, data["refresh_token"])["code"] == 0


def test_an_auth_code_is_exchanged_once(mock: Mock, caller: Caller) -> None:
    code = mock.credentials["TIKTOK_AUTH_CODE"]
    first = _token_call(mock, caller.http, "/api/v2/token/get", auth_code=code, grant_type="authorized_code")
    assert first["code"] == 0
    assert first["data"]["seller_name"] == "Lumen Home Goods"
    caller.token = first["data"]["access_token"]
    caller.data("GET", SHOPS, cipher=None)
    second = _token_call(mock, caller.http, "/api/v2/token/get", auth_code=code, grant_type="authorized_code")
    assert (second["code"], second["message"]) == (36004004, "Invalid auth code.")


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"app_secret": "wrong"}, 36009004),
        ({"app_key": "wrong"}, 36009004),
        ({"grant_type": "authorized_code"}, 36009004),
    ],
)
def test_token_calls_check_the_app_and_the_grant(
    mock: Mock, caller: Caller, params: dict[str, str], code: int
) -> None:
    query = {
        "refresh_token": mock.credentials["TIKTOK_REFRESH_TOKEN"],
        "grant_type": "refresh_token",
        **params,
    }
    assert _token_call(mock, caller.http, "/api/v2/token/refresh", **query)["code"] == code


def test_token_endpoints_live_on_the_auth_host_only(caller: Caller) -> None:
    response = caller.http.get(caller.base + "/api/v2/token/refresh", params={"grant_type": "refresh_token"})
    assert response.status_code in (404, 405)
    assert response.json()["code"] in (36009009, 36009010)


@pytest.mark.parametrize(
    ("offset", "accepted", "message"),
    [
        (-299, True, ""),
        (-301, False, "must not be earlier than 5 minutes before the current time."),
        (29, True, ""),
        (31, False, "must not exceed the current time by more than 30 seconds."),
    ],
)
def test_the_timestamp_window_is_5_minutes_back_and_30_seconds_ahead(
    caller: Caller, clock: FakeClock, offset: int, accepted: bool, message: str
) -> None:
    response = caller.send("GET", SHOPS, cipher=None, timestamp=str(int(clock()) + offset))
    if accepted:
        assert response.status_code == 200
    else:
        status, code, text = refusal(response)
        assert (status, code) == (400, 36009004)
        assert text.endswith(message)


@pytest.mark.parametrize("stamp", ["", "-5", "soon", "1" * 40])
def test_a_malformed_timestamp_is_refused(caller: Caller, stamp: str) -> None:
    assert refusal(caller.send("GET", SHOPS, cipher=None, timestamp=stamp))[:2] == (400, 36009004)


def test_shop_calls_need_the_cipher_of_one_of_the_sellers_shops(mock: Mock, caller: Caller) -> None:
    missing = refusal(caller.send("POST", SEARCH, query={"page_size": "5"}, cipher=None))
    assert missing[:2] == (400, 106013)
    foreign = refusal(caller.send("POST", SEARCH, query={"page_size": "5"}, cipher=MY_CIPHER))
    assert foreign == (400, 36009004, "Invalid identifier. The `shop_cipher` query parameter is invalid.")
    assert caller.send("POST", SEARCH, query={"page_size": "5"}, cipher=US_CIPHER).status_code == 200
    assert mock.journal.entries()[-1].shop == "7495836452019823461"


def test_app_level_calls_refuse_a_cipher(caller: Caller) -> None:
    status, code, message = refusal(caller.send("GET", SHOPS, cipher=UK_CIPHER))
    assert (status, code) == (400, 36009004)
    assert message.startswith("Unexpected identifier.")
