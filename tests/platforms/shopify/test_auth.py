"""X-Shopify-Access-Token, the authorization code exchange, and expiring offline tokens' refresh."""

from __future__ import annotations

import json

import httpx
import pytest
from tests.platforms.shopify.conftest import DEV, TEST, Clock, Store, credentials

from clawcheck.platforms.shopify.platform import INVALID_TOKEN


def code_for(store: Store, shop: str = DEV) -> str:
    return next(code for code, domain in store.mock.platform.state.codes.items() if domain == shop)


def last_entry_state(store: Store) -> str | None:
    return store.mock.journal.entries()[-1].token_state


def test_a_valid_token_is_served_with_shopify_headers(store: Store) -> None:
    response = store.get("/locations.json")
    assert response.status_code == 200
    assert response.headers["x-shopify-api-version"] == "2024-10"
    assert response.headers["x-shopify-shop-api-call-limit"] == "1/40"
    assert response.headers["x-request-id"]
    entry = store.mock.journal.entries()[-1]
    assert (entry.shop, entry.token_state, entry.signature) == (DEV, "valid", None)
    assert (entry.token or "").startswith("fp-")


@pytest.mark.parametrize(
    ("token", "state"), [(None, "missing"), ("", "missing"), ("shpat_madeup", "invalid")]
)
def test_missing_and_unknown_tokens_are_401(store: Store, token: str | None, state: str) -> None:
    store.token = token
    response = store.get("/orders.json")
    assert (response.status_code, response.json()) == (401, {"errors": INVALID_TOKEN})
    assert last_entry_state(store) == state


def test_a_token_of_another_store_is_invalid_here(store: Store, other: Store) -> None:
    store.token = other.token
    assert store.get("/orders.json").status_code == 401
    assert last_entry_state(store) == "invalid"


def test_an_expiring_token_dies_after_an_hour(store: Store, clock: Clock) -> None:
    clock.advance(3599)
    assert store.get("/locations.json").status_code == 200
    clock.advance(1)
    response = store.get("/locations.json")
    assert (response.status_code, response.json()) == (401, {"errors": INVALID_TOKEN})
    assert last_entry_state(store) == "expired"


def test_unknown_api_versions_are_not_found(store: Store) -> None:
    response = store.get("https://clawcheck-dev.myshopify.com/admin/api/2024-13/orders.json")
    assert (response.status_code, response.json()) == (404, {"errors": "Not Found"})
    unstable = store.get("https://clawcheck-dev.myshopify.com/admin/api/unstable/orders.json")
    assert unstable.headers["x-shopify-api-version"] == "unstable"


# -- authorization code grant ---------------------------------------------------------------


def test_code_exchange_gives_an_expiring_token_when_asked(store: Store, clock: Clock) -> None:
    response = store.oauth(**credentials(store.mock), code=code_for(store), expiring="1")
    assert response.status_code == 200
    body = response.json()
    assert body.keys() == {"access_token", "scope", "expires_in", "refresh_token", "refresh_token_expires_in"}
    assert (body["expires_in"], body["refresh_token_expires_in"]) == (3600, 7_776_000)
    assert "write_inventory" in body["scope"]
    store.token = body["access_token"]
    assert store.get("/locations.json").status_code == 200


def test_code_exchange_without_expiring_gives_a_token_that_lasts(store: Store, clock: Clock) -> None:
    body = store.oauth(**credentials(store.mock), code=code_for(store)).json()
    assert body.keys() == {"access_token", "scope"}
    store.token = body["access_token"]
    clock.advance(400 * 86400)
    assert store.get("/locations.json").status_code == 200


def test_a_code_works_once_and_only_at_its_store(store: Store, other: Store) -> None:
    code = code_for(store)
    assert other.oauth(**credentials(store.mock), code=code).status_code == 400
    assert store.oauth(**credentials(store.mock), code=code).status_code == 200
    again = store.oauth(**credentials(store.mock), code=code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"client_id": "x", "client_secret": "y", "code": "z"}, 401, "invalid_client"),
        ({"client_secret": "y"}, 401, "invalid_client"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": "refresh_token", "refresh_token": "shprt_madeup"}, 400, "invalid_grant"),
        ({"code": "no-such-code"}, 400, "invalid_request"),
    ],
)
def test_token_endpoint_errors_are_oauth_errors(
    store: Store, form: dict[str, str], status: int, error: str
) -> None:
    if "client_id" not in form and status != 401:
        form = {**credentials(store.mock), **form}
    response = store.oauth(**form)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert "error_description" in response.json()


def test_token_endpoint_takes_json_as_shopify_api_js_sends_it(store: Store) -> None:
    body = {
        **credentials(store.mock),
        "grant_type": "refresh_token",
        "refresh_token": store.mock.credentials["SHOPIFY_REFRESH_TOKEN"],
    }
    response = store.http.post(f"https://{DEV}/admin/oauth/access_token", json=body)
    assert response.status_code == 200
    assert response.json()["refresh_token"] != body["refresh_token"]


# -- refresh of expiring offline tokens -----------------------------------------------------


def refresh(store: Store, value: str) -> httpx.Response:
    return store.oauth(**credentials(store.mock), grant_type="refresh_token", refresh_token=value)


def test_refresh_rotates_and_the_old_refresh_token_dies_once_the_new_token_is_used(
    store: Store, clock: Clock
) -> None:
    old = store.mock.credentials["SHOPIFY_REFRESH_TOKEN"]
    clock.advance(3500)
    first = refresh(store, old).json()
    assert first["refresh_token"] != old
    assert first["expires_in"] == 3600
    # The response was "lost": the old refresh token still works, and supersedes the first answer.
    second = refresh(store, old).json()
    store.token = first["access_token"]
    assert store.get("/locations.json").status_code == 401
    store.token = second["access_token"]
    assert store.get("/locations.json").status_code == 200
    # The replacement is in use now: the old refresh token is spent, the new one works.
    assert refresh(store, old).json()["error"] == "invalid_grant"
    assert refresh(store, second["refresh_token"]).status_code == 200


def test_the_previous_access_token_lives_until_its_own_expiry(store: Store, clock: Clock) -> None:
    old_access = store.token
    refreshed = refresh(store, store.mock.credentials["SHOPIFY_REFRESH_TOKEN"]).json()
    assert refreshed["access_token"] != old_access
    assert store.get("/locations.json").status_code == 200
    clock.advance(3600)
    assert store.get("/locations.json").status_code == 401


def test_refresh_tokens_expire_after_90_days(store: Store, clock: Clock) -> None:
    clock.advance(90 * 86400)
    assert refresh(store, store.mock.credentials["SHOPIFY_REFRESH_TOKEN"]).json()["error"] == "invalid_grant"


def test_a_refresh_token_works_only_at_its_store(store: Store, other: Store) -> None:
    value = store.mock.credentials["SHOPIFY_REFRESH_TOKEN"]
    response = other.oauth(**credentials(store.mock), grant_type="refresh_token", refresh_token=value)
    assert response.json()["error"] == "invalid_grant"


def test_the_other_store_has_its_own_seeded_tokens(other: Store) -> None:
    assert other.domain == TEST
    assert other.get("/orders.json").status_code == 200


def test_requests_are_not_signed_so_no_signature_is_judged(store: Store) -> None:
    store.get("/orders.json")
    store.token = None
    store.get("/orders.json")
    assert {e.signature for e in store.mock.journal.entries()} == {None}


def test_no_secret_reaches_the_journal(store: Store) -> None:
    secrets = [
        store.mock.credentials["SHOPIFY_CLIENT_SECRET"],
        store.mock.credentials["SHOPIFY_REFRESH_TOKEN"],
    ]
    store.get("/orders.json")
    answer = store.http.post(
        f"https://{DEV}/admin/oauth/access_token",
        params={**credentials(store.mock), "grant_type": "refresh_token", "refresh_token": secrets[1]},
    )
    secrets += [answer.json()["access_token"], answer.json()["refresh_token"], store.token or ""]
    written = json.dumps(store.mock.journal.to_list())
    assert [s for s in secrets if s in written] == []
