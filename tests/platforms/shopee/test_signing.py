"""The sign: HMAC-SHA256 over partner_id + path + timestamp (+ access_token + shop_id), checked exactly."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.shopee import base_string, sign

from .conftest import SG, ShopeeClient

ORDER_LIST = "/api/v2/order/get_order_list"
REFRESH = "/api/v2/auth/access_token/get"


def one_char_off(text: str) -> str:
    """The same text with its last character changed (a digit stays a digit)."""
    last = text[-1]
    replacement = str((int(last) + 1) % 10) if last.isdigit() else ("b" if last != "b" else "c")
    return text[:-1] + replacement


def test_the_documented_example_base_string_and_hmac() -> None:
    # developer guide "API calls": shop API example
    base = base_string(
        "2001887", "/api/v2/shop/get_shop_info", "1655714431", "59777174636562737266615546704c6d", "14701711"
    )
    assert base == "2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711"
    assert sign("key", base) == hmac.new(b"key", base.encode(), hashlib.sha256).hexdigest()
    assert base_string("2001887", "/api/v2/public/get_shops_by_partner", "1655714431") == (
        "2001887/api/v2/public/get_shops_by_partner1655714431"
    )


def test_a_correct_sign_is_accepted(client: ShopeeClient, mock: Mock) -> None:
    assert client.list_orders().status == 200
    assert mock.journal.entries()[-1].signature == "valid"


@pytest.mark.parametrize("component", ["path", "timestamp", "access_token", "shop_id"])
def test_a_one_character_change_of_a_signed_component_is_wrong_sign(
    client: ShopeeClient, mock: Mock, component: str
) -> None:
    sent = {
        "path": ORDER_LIST,
        "timestamp": str(int(client.clock.now)),
        "access_token": client.token(),
        "shop_id": str(SG),
    }
    answer = client.call(
        "GET", ORDER_LIST, _window(client), sign_with={component: one_char_off(sent[component])}
    )
    assert (answer.status, answer.error, answer.data["message"]) == (403, "error_sign", "Wrong sign.")
    entry = mock.journal.entries()[-1]
    assert entry.signature == "invalid"
    assert entry.token_state is None  # the token is not looked up behind a wrong sign


def test_a_one_character_change_of_the_partner_id_is_an_unknown_partner(
    client: ShopeeClient, mock: Mock
) -> None:
    partner = str(client.platform.partner.partner_id)
    answer = client.call("GET", ORDER_LIST, _window(client), common={"partner_id": one_char_off(partner)})
    assert (answer.status, answer.error) == (403, "invalid_partner_id")
    assert mock.journal.entries()[-1].signature == "invalid"


def test_signing_with_the_wrong_key_is_wrong_sign(client: ShopeeClient, mock: Mock) -> None:
    now = str(int(client.clock.now))
    partner = str(client.platform.partner.partner_id)
    forged = sign("not-the-partner-key", base_string(partner, ORDER_LIST, now, client.token(), str(SG)))
    answer = client.call("GET", ORDER_LIST, _window(client), common={"sign": forged})
    assert answer.error == "error_sign"
    assert mock.journal.entries()[-1].signature == "invalid"


def test_an_upper_case_sign_is_wrong_sign(client: ShopeeClient) -> None:
    now = str(int(client.clock.now))
    partner = client.platform.partner
    good = sign(partner.key, base_string(str(partner.partner_id), ORDER_LIST, now, client.token(), str(SG)))
    answer = client.call("GET", ORDER_LIST, _window(client), common={"sign": good.upper()})
    assert answer.error == "error_sign"


def test_a_missing_sign_is_error_param(client: ShopeeClient, mock: Mock) -> None:
    answer = client.call("GET", ORDER_LIST, _window(client), common={"sign": None})
    assert (answer.status, answer.error, answer.data["message"]) == (
        400,
        "error_param",
        "There is no sign in query.",
    )
    assert mock.journal.entries()[-1].signature == "missing"


def test_public_apis_sign_without_token_and_shop(client: ShopeeClient, mock: Mock) -> None:
    body = {
        "refresh_token": client.platform.state.current[SG][1],
        "partner_id": client.platform.partner.partner_id,
    }
    body["shop_id"] = SG
    shop_style = client.call(
        "POST", REFRESH, body=body, sign_with={"access_token": client.token(), "shop_id": str(SG)}
    )
    assert shop_style.error == "error_sign"
    assert mock.journal.entries()[-1].signature == "invalid"
    assert client.call("POST", REFRESH, body=body).status == 200
    assert mock.journal.entries()[-1].signature == "valid"


@pytest.mark.parametrize(("drift", "accepted"), [(-299, True), (299, True), (-301, False), (301, False)])
def test_the_timestamp_must_be_within_five_minutes(client: ShopeeClient, drift: int, accepted: bool) -> None:
    stamp = str(int(client.clock.now) + drift)
    answer = client.call(
        "GET", ORDER_LIST, _window(client), sign_with={"timestamp": stamp}, common={"timestamp": stamp}
    )
    if accepted:
        assert answer.status == 200
    else:
        assert (answer.status, answer.error, answer.data["message"]) == (
            400,
            "error_param",
            "Timestamp is expired",
        )


def test_the_client_timestamp_is_journaled(client: ShopeeClient, mock: Mock) -> None:
    client.list_orders()
    assert mock.journal.entries()[-1].client_timestamps == [
        ("timestamp", float(int(client.clock.now - client.step)))
    ]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("partner_id", None, "There is no partner_id in query."),
        ("timestamp", None, "There is no timestamp in query."),
        ("timestamp", "1767225600000", "Invalid timestamp"),
        ("timestamp", "soon", "Invalid timestamp"),
        ("timestamp", "\uff11\uff17\uff16\uff17\uff12\uff12\uff15\uff16\uff10\uff10", "Invalid timestamp"),
        ("shop_id", None, "There is no shop_id in query."),
        ("shop_id", "14701711x", "shop_id is invalid"),
    ],
)
def test_missing_or_malformed_common_parameters_are_error_param(
    client: ShopeeClient, name: str, value: str | None, message: str
) -> None:
    answer = client.call("GET", ORDER_LIST, _window(client), common={name: value})
    assert (answer.status, answer.error, answer.data["message"]) == (400, "error_param", message)


def test_authorize_signs_what_is_sent(client: ShopeeClient, mock: Mock) -> None:
    from clawcheck.platforms.model import ClientRequest

    request = ClientRequest(
        "GET",
        f"https://{client.host}{ORDER_LIST}",
        [("shop_id", "1"), ("sign", "x"), *(_window(client).items())],
    )
    signed = mock.platform.authorize(request, client.clock.now)
    query = dict(signed.query)
    assert query["shop_id"] == str(SG)
    assert query["access_token"] == client.token()
    partner = client.platform.partner
    expected = base_string(str(partner.partner_id), ORDER_LIST, query["timestamp"], client.token(), str(SG))
    assert query["sign"] == sign(partner.key, expected)
    assert [k for k, _ in signed.query].count("sign") == 1


def _window(client: ShopeeClient) -> dict[str, str]:
    now = int(client.clock.now)
    return {
        "time_range_field": "create_time",
        "time_from": str(now - 3600),
        "time_to": str(now),
        "page_size": "5",
    }
