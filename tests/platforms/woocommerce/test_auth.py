"""Authentication as `WC_REST_Authentication` does it: Basic/query over HTTPS, OAuth 1.0a over HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from tests.platforms.woocommerce.conftest import (
    API,
    STAGING,
    FakeClock,
    OAuthClient,
    adapter_key,
    oauth_query,
)

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.woocommerce.store import ApiKey

ORDERS = f"http://{STAGING}{API}/orders"
MISMATCH = {
    "code": "woocommerce_rest_authentication_error",
    "message": "Invalid signature - provided signature does not match.",
    "data": {"status": 401},
}


def send(
    web: httpx.Client, params: list[tuple[str, str]], method: str = "GET", url: str = ORDERS
) -> httpx.Response:
    return web.request(method, url, params=tuple(params))


def last(mock: Mock) -> tuple[str | None, str | None, str | None]:
    entry = mock.journal.entries()[-1]
    return entry.token_state, entry.signature, entry.shop


def test_a_correctly_signed_request_is_accepted(mock: Mock, signed: OAuthClient, clock: FakeClock) -> None:
    response = signed.get("/orders", [("per_page", "3")])
    assert response.status_code == 200, response.text
    entry = mock.journal.entries()[-1]
    assert (entry.token_state, entry.signature, entry.shop) == ("valid", "valid", "wc-user-1")
    assert entry.client_timestamps == [("oauth_timestamp", clock.now)]


def test_hmac_sha1_is_accepted_too(web: httpx.Client, mock: Mock, clock: FakeClock) -> None:
    params = oauth_query(adapter_key(mock), "GET", ORDERS, timestamp=clock.now, signature_method="HMAC-SHA1")
    assert send(web, params).status_code == 200


def flip(text: str, at: int = -1) -> str:
    """`text` with one character changed."""
    chars = list(text)
    chars[at] = "B" if chars[at] == "A" else "A"
    return "".join(chars)


def _tamper(key: ApiKey, now: float) -> dict[str, Callable[[], list[tuple[str, str]]]]:
    """Each signed component changed by one character in what is signed, not in what is sent."""
    base = [("per_page", "5")]

    def signed_as(**changes: object) -> list[tuple[str, str]]:
        sign_key = ApiKey(
            1,
            1,
            "x",
            "read_write",
            str(changes.get("key", key.consumer_key)),
            str(changes.get("secret", key.consumer_secret)),
        )
        query = [("per_page", str(changes.get("per_page", "5")))]
        pairs = oauth_query(
            sign_key,
            str(changes.get("method", "GET")),
            str(changes.get("url", ORDERS)),
            query,
            timestamp=float(changes.get("timestamp", now)),  # type: ignore[arg-type]
            nonce=str(changes.get("nonce", "nonce-0001")),
        )
        signature = pairs[-1][1]
        sent = oauth_query(key, "GET", ORDERS, base, timestamp=now, nonce="nonce-0001")
        return [*sent[:-1], ("oauth_signature", signature)]

    return {
        "method": lambda: signed_as(method="GEX"),
        "scheme": lambda: signed_as(url=ORDERS.replace("http:", "httq:")),
        "host": lambda: signed_as(url=ORDERS.replace("staging", "stagink")),
        "path": lambda: signed_as(url=ORDERS[:-1] + "z"),
        "query value": lambda: signed_as(per_page="6"),
        "timestamp": lambda: signed_as(timestamp=now + 1),
        "nonce": lambda: signed_as(nonce="nonce-0002"),
        "consumer key": lambda: signed_as(key=flip(key.consumer_key)),
        "consumer secret": lambda: signed_as(secret=flip(key.consumer_secret)),
        "signature": lambda: [*signed_as()[:-1], ("oauth_signature", flip(signed_as()[-1][1], at=0))],
    }


@pytest.mark.parametrize(
    "component",
    [
        "method",
        "scheme",
        "host",
        "path",
        "query value",
        "timestamp",
        "nonce",
        "consumer key",
        "consumer secret",
        "signature",
    ],
)
def test_a_one_character_change_of_any_signed_component_is_refused(
    web: httpx.Client, mock: Mock, clock: FakeClock, component: str
) -> None:
    params = _tamper(adapter_key(mock), clock.now)[component]()
    response = send(web, params)
    assert (response.status_code, response.json()) == (401, MISMATCH)
    entry = mock.journal.entries()[-1]
    assert entry.signature == "invalid"
    assert "does not match" in entry.signature_detail


def test_the_untampered_control_is_accepted(web: httpx.Client, mock: Mock, clock: FakeClock) -> None:
    key = adapter_key(mock)
    assert (
        send(
            web, oauth_query(key, "GET", ORDERS, [("per_page", "5")], timestamp=clock.now, nonce="nonce-0001")
        ).status_code
        == 200
    )


def test_missing_oauth_parameters_are_named(web: httpx.Client, mock: Mock, clock: FakeClock) -> None:
    params = [
        p for p in oauth_query(adapter_key(mock), "GET", ORDERS, timestamp=clock.now) if p[0] != "oauth_nonce"
    ]
    response = send(web, params)
    assert response.status_code == 401
    assert response.json()["code"] == "woocommerce_rest_authentication_missing_parameter"
    assert response.json()["message"] == "Missing OAuth parameter oauth_nonce"
    assert mock.journal.entries()[-1].signature == "missing"


def test_unknown_consumer_key(web: httpx.Client, mock: Mock, clock: FakeClock) -> None:
    stranger = ApiKey(9, 9, "x", "read_write", "ck_" + "0" * 40, "cs_" + "0" * 40)
    response = send(web, oauth_query(stranger, "GET", ORDERS, timestamp=clock.now))
    assert (response.status_code, response.json()["message"]) == (401, "Consumer key is invalid.")
    assert last(mock)[:2] == ("invalid", "invalid")


def test_an_unsupported_signature_method(web: httpx.Client, mock: Mock, clock: FakeClock) -> None:
    response = send(
        web, oauth_query(adapter_key(mock), "GET", ORDERS, timestamp=clock.now, signature_method="PLAINTEXT")
    )
    assert response.json()["message"] == "Invalid signature - signature method is invalid."


@pytest.mark.parametrize(
    ("offset", "accepted"), [(-14 * 60, True), (-16 * 60, False), (14 * 60, True), (16 * 60, False)]
)
def test_the_timestamp_must_be_within_15_minutes(
    web: httpx.Client, mock: Mock, clock: FakeClock, offset: int, accepted: bool
) -> None:
    response = send(web, oauth_query(adapter_key(mock), "GET", ORDERS, timestamp=clock.now + offset))
    if accepted:
        assert response.status_code == 200
    else:
        assert (response.status_code, response.json()["message"]) == (401, "Invalid timestamp.")
        assert last(mock)[1] == "invalid"


def test_a_nonce_is_single_use_within_the_window(web: httpx.Client, mock: Mock, clock: FakeClock) -> None:
    key = adapter_key(mock)
    assert send(web, oauth_query(key, "GET", ORDERS, timestamp=clock.now, nonce="once")).status_code == 200
    again = send(web, oauth_query(key, "GET", ORDERS, timestamp=clock.now, nonce="once"))
    assert (again.status_code, again.json()["message"]) == (
        401,
        "Invalid nonce - nonce has already been used.",
    )
    clock.advance(16 * 60)
    assert send(web, oauth_query(key, "GET", ORDERS, timestamp=clock.now, nonce="once")).status_code == 200


def test_the_authorization_header_form_of_oauth(web: httpx.Client, mock: Mock, clock: FakeClock) -> None:
    params = oauth_query(adapter_key(mock), "GET", ORDERS, timestamp=clock.now)
    header = "OAuth " + ", ".join(
        f'{k}="{httpx.URL("", params={"v": v}).query.decode()[2:]}"' for k, v in params
    )
    assert web.get(ORDERS, headers={"Authorization": header}).status_code == 200


def test_basic_auth_over_https(mock: Mock, basic: httpx.Client) -> None:
    assert basic.get("/orders").status_code == 200
    entry = mock.journal.entries()[-1]
    assert (entry.token_state, entry.signature, entry.shop) == ("valid", None, "wc-user-1")


def test_a_wrong_secret_over_https(web: httpx.Client, mock: Mock) -> None:
    key = adapter_key(mock)
    response = web.get(f"https://{STAGING}{API}/orders", auth=(key.consumer_key, "cs_wrong"))
    assert response.status_code == 401
    assert response.json() == {
        "code": "woocommerce_rest_authentication_error",
        "message": "Consumer secret is invalid.",
        "data": {"status": 401},
    }
    assert last(mock)[0] == "invalid"


def test_query_string_credentials_over_https(web: httpx.Client, mock: Mock) -> None:
    key = adapter_key(mock)
    params = {"consumer_key": key.consumer_key, "consumer_secret": key.consumer_secret}
    assert web.get(f"https://{STAGING}{API}/orders", params=params).status_code == 200
    assert "cs_" not in json.dumps(mock.journal.to_list())


def test_basic_and_query_credentials_are_ignored_over_plain_http(web: httpx.Client, mock: Mock) -> None:
    key = adapter_key(mock)
    for response in (
        web.get(ORDERS, auth=(key.consumer_key, key.consumer_secret)),
        web.get(ORDERS, params={"consumer_key": key.consumer_key, "consumer_secret": key.consumer_secret}),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "woocommerce_rest_cannot_view"
        assert response.json()["message"] == "Sorry, you cannot list resources."
        assert last(mock) == ("missing", "missing", None)


def test_anonymous_requests_meet_the_route_permission_checks(web: httpx.Client, mock: Mock) -> None:
    base = f"https://{STAGING}{API}"
    assert web.get(f"{base}/orders/1040").json()["code"] == "woocommerce_rest_cannot_view"
    # The permission callback only guards objects that exist: unknown ids answer as for anyone.
    assert web.get(f"{base}/orders/999").json()["code"] == "woocommerce_rest_shop_order_invalid_id"
    assert web.put(f"{base}/orders/1040", json={}).json()["code"] == "woocommerce_rest_cannot_edit"
    assert (
        web.post(f"{base}/orders/1040/notes", json={"note": "x"}).json()["code"]
        == "woocommerce_rest_cannot_create"
    )
    assert web.post(f"{base}/products/batch", json={}).json()["code"] == "woocommerce_rest_cannot_batch"
    # Validation runs before the permission check.
    assert web.get(f"{base}/orders", params={"per_page": "0"}).json()["code"] == "rest_invalid_param"


def test_a_read_only_key_cannot_write(mock: Mock, clock: FakeClock) -> None:
    client = OAuthClient(mock, clock, mock.platform.state.key("reporting"))
    assert client.get("/orders/1040").status_code == 200
    response = client.put("/orders/1040", {"status": "completed"})
    assert (response.status_code, response.json()["message"]) == (
        401,
        "The API key provided does not have write permissions.",
    )
    assert mock.platform.state.orders[1040].status == "processing"


def test_no_secret_reaches_the_journal(
    web: httpx.Client, mock: Mock, signed: OAuthClient, clock: FakeClock
) -> None:
    key = adapter_key(mock)
    signed.get("/orders")
    send(web, _tamper(key, clock.now)["path"]())
    written = json.dumps(mock.journal.to_list())
    assert key.consumer_secret not in written
    assert mock.platform.state.webhook_secret not in written
    assert key.consumer_key not in mock.journal.entries()[-1].signature_detail
