"""Each generic scenario, as the Shopify mock renders it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import unquote

import httpx
from tests.platforms.shopify.conftest import DEV, Clock, Store, credentials

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import MockRequest
from clawcheck.platforms.shopify import Shopify
from clawcheck.platforms.shopify.render import stamp
from clawcheck.platforms.testing import intercept_httpx


def test_token_expiry_shortens_the_lifetime(clock: Clock) -> None:
    mock = Mock(Shopify, scenarios=["token-expiry:ttl=5"], clock=clock)
    with intercept_httpx(mock), httpx.Client() as client:
        store = Store(client, mock)
        assert store.get("/locations.json").status_code == 200
        clock.advance(5)
        assert store.get("/locations.json").status_code == 401
        assert mock.journal.entries()[-1].token_state == "expired"
        body = store.oauth(
            **credentials(mock),
            grant_type="refresh_token",
            refresh_token=mock.credentials["SHOPIFY_REFRESH_TOKEN"],
        ).json()
        assert body["expires_in"] == 5


def test_rate_limit_burst_answers_shopifys_429_with_the_window(clock: Clock, ticks: Clock) -> None:
    mock = Mock(Shopify, scenarios=["rate-limit-burst:every=2,window=3"], clock=clock, monotonic=ticks)
    with intercept_httpx(mock), httpx.Client() as client:
        store = Store(client, mock)
        assert store.get("/locations.json").status_code == 200
        response = store.get("/locations.json")
        assert response.status_code == 429
        assert response.json()["errors"].startswith("Exceeded 2 calls per second")
        assert response.headers["retry-after"] == "3.0"
        entry = mock.journal.entries()[-1]
        assert (entry.throttle, entry.retry_after) == ("scenario", 3.0)


def test_server_errors_use_shopifys_error_body(clock: Clock) -> None:
    mock = Mock(Shopify, scenarios=["server-errors:every=2"], clock=clock)
    with intercept_httpx(mock), httpx.Client() as client:
        store = Store(client, mock)
        assert store.get("/locations.json").status_code == 200
        response = store.get("/locations.json")
        assert (response.status_code, response.json()) == (503, {"errors": "Service Unavailable"})
        assert mock.journal.entries()[-1].injected == "server-errors"


def test_slow_delays_the_response() -> None:
    mock = Mock(Shopify, scenarios=["slow:every=1,delay=0.5"])
    token = mock.platform.state.access[DEV]
    request = MockRequest(
        "GET", "https", DEV, "/admin/api/2024-10/locations.json", (), {"x-shopify-access-token": token}
    )
    assert mock.handle(request).delay == 0.5


def test_clock_skew_moves_the_stores_clock(clock: Clock) -> None:
    mock = Mock(Shopify, scenarios=["clock-skew:seconds=120"], clock=clock)
    with intercept_httpx(mock), httpx.Client() as client:
        store = Store(client, mock)
        body = {"location_id": 71000000001, "inventory_item_id": 46000000001, "available": 1}
        level = store.post("/inventory_levels/set.json", body).json()["inventory_level"]
        assert level["updated_at"] == stamp(clock() + 120)
        # The adapter is told its token's expiry on its own (true) clock.
        assert mock.credentials["SHOPIFY_ACCESS_EXPIRES_AT"] == str(int(clock() + 3600))


def test_pagination_edges_gives_tiny_pages_and_awkward_cursors(clock: Clock) -> None:
    mock = Mock(Shopify, scenarios=["pagination-edges"], clock=clock)
    with intercept_httpx(mock), httpx.Client() as client:
        store = Store(client, mock)
        first = store.get("/orders.json", status="any", limit=50)
        assert len(first.json()["orders"]) == 2
        link = first.headers["link"].split(";")[0][1:-1]
        assert all(code in link for code in ("%2B", "%2F", "%3D"))  # + / = percent-encoded
        assert store.get(link).status_code == 200
        assert "cursor" in mock.journal.entries()[-1].notes
        mangled = unquote(link).replace("+", " ")  # a client that decoded the cursor
        assert store.get(mangled.replace(" ", "+")).status_code == 400
        assert "bad_cursor" in mock.journal.entries()[-1].notes


def test_webhook_secret_rotated_signs_with_the_new_secret(clock: Clock) -> None:
    mock = Mock(Shopify, scenarios=["webhook-secret-rotated"], clock=clock)
    with intercept_httpx(mock), httpx.Client() as client:
        store = Store(client, mock)
        store.post(
            "/inventory_levels/set.json",
            {"location_id": 71000000001, "inventory_item_id": 46000000001, "available": 2},
        )
    (delivery,) = mock.deliveries
    assert delivery.headers is not None
    given = delivery.headers["X-Shopify-Hmac-Sha256"]
    for secret, expected in (
        (mock.rotated_webhook_secret, True),
        (mock.credentials["SHOPIFY_CLIENT_SECRET"], False),
    ):
        digest = base64.b64encode(hmac.new(secret.encode(), delivery.body, hashlib.sha256).digest()).decode()
        assert hmac.compare_digest(digest, given) is expected
    assert json.loads(delivery.body)["available"] == 2
    assert mock.adapter_env()["CLAWCHECK_WEBHOOK_SECRET_NEW"] == mock.rotated_webhook_secret
