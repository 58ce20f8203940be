"""The per-key rate limit (429 with the Store API limiter's headers) and every applicable scenario."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator

import httpx
import pytest
from tests.platforms.woocommerce.conftest import API, STAGING, FakeClock, OAuthClient, adapter_key

from clawcheck.errors import ConfigError
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.testing import intercept_httpx
from clawcheck.platforms.woocommerce import WooCommerce

BASE = f"https://{STAGING}{API}"


def client_for(mock: Mock, login: str) -> httpx.Client:
    key = mock.platform.state.key(login)
    return httpx.Client(base_url=BASE, auth=(key.consumer_key, key.consumer_secret))


@pytest.fixture
def scenario_mock(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Mock]:
    built = Mock(WooCommerce, scenarios=[request.param], clock=clock.time, monotonic=clock.monotonic)
    with intercept_httpx(built):
        yield built
    built.close()


def test_the_26th_request_in_a_burst_is_refused_with_the_wait(mock: Mock, clock: FakeClock) -> None:
    with client_for(mock, "clawcheck-adapter") as client:
        assert {client.get("/orders/1040").status_code for _ in range(25)} == {200}
        refused = client.get("/orders/1040")
    assert refused.status_code == 429
    assert refused.json() == {
        "code": "rate_limit_exceeded",
        "message": "Too many requests. Please wait 1 seconds before trying again.",
        "data": {"status": 429},
    }
    assert refused.headers["Retry-After"] == refused.headers["RateLimit-Retry-After"] == "1"
    assert refused.headers["RateLimit-Limit"] == "25"
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert refused.headers["RateLimit-Reset"] == str(int(clock.now) + 1)
    entry = mock.journal.entries()[-1]
    assert (entry.throttle, entry.retry_after, entry.retry_after_advertised) == ("limit", 1.0, True)


def test_the_bucket_refills_at_2_5_requests_per_second(mock: Mock, clock: FakeClock) -> None:
    with client_for(mock, "clawcheck-adapter") as client:
        for _ in range(25):
            client.get("/orders/1040")
        assert client.get("/orders/1040").status_code == 429
        clock.advance(0.4)
        assert client.get("/orders/1040").status_code == 200
        assert client.get("/orders/1040").status_code == 429


def test_other_keys_are_not_affected(mock: Mock) -> None:
    with client_for(mock, "clawcheck-adapter") as busy, client_for(mock, "erp-sync") as other:
        for _ in range(26):
            busy.get("/orders/1040")
        assert busy.get("/orders/1040").status_code == 429
        assert other.get("/orders/1040").status_code == 200
    assert {e.shop for e in mock.journal.entries()} == {"wc-user-1", "wc-user-4"}


def test_keys_never_expire_so_token_expiry_does_not_apply() -> None:
    assert "token-expiry" not in WooCommerce.scenarios
    with pytest.raises(ConfigError, match="does not apply to woocommerce"):
        Mock(WooCommerce, scenarios=["token-expiry"])


@pytest.mark.parametrize("scenario_mock", ["rate-limit-burst:every=2,window=3"], indirect=True)
def test_rate_limit_burst(scenario_mock: Mock) -> None:
    with client_for(scenario_mock, "clawcheck-adapter") as client:
        assert client.get("/orders/1040").status_code == 200
        refused = client.get("/orders/1040")
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "3")
    assert scenario_mock.journal.entries()[-1].throttle == "scenario"


@pytest.mark.parametrize("scenario_mock", ["server-errors:every=1"], indirect=True)
def test_server_errors_are_wordpress_maintenance_answers(scenario_mock: Mock) -> None:
    with client_for(scenario_mock, "clawcheck-adapter") as client:
        response = client.get("/orders")
    assert response.status_code == 503
    assert response.json()["code"] == "wp_die"
    assert "Retry-After" not in response.headers


@pytest.mark.parametrize("scenario_mock", ["server-errors:every=1,status=500"], indirect=True)
def test_server_errors_500_is_the_fatal_error_handler(scenario_mock: Mock) -> None:
    with client_for(scenario_mock, "clawcheck-adapter") as client:
        body = client.get("/orders").json()
    assert (body["code"], body["data"], body["additional_errors"]) == (
        "internal_server_error",
        {"status": 500},
        [],
    )


@pytest.mark.parametrize("scenario_mock", ["clock-skew:seconds=1200"], indirect=True)
def test_clock_skew_beyond_the_oauth_window(scenario_mock: Mock, clock: FakeClock) -> None:
    client = OAuthClient(scenario_mock, clock)  # signs with true time; the store runs 20 minutes ahead
    response = client.get("/orders")
    assert (response.status_code, response.json()["message"]) == (401, "Invalid timestamp.")


@pytest.mark.parametrize("scenario_mock", ["clock-skew"], indirect=True)
def test_clock_skew_within_the_window(scenario_mock: Mock, clock: FakeClock) -> None:
    assert OAuthClient(scenario_mock, clock).get("/orders").status_code == 200


@pytest.mark.parametrize("scenario_mock", ["pagination-edges"], indirect=True)
def test_pagination_edges_shrink_the_pages(scenario_mock: Mock) -> None:
    with client_for(scenario_mock, "clawcheck-adapter") as client:
        response = client.get("/orders", params={"per_page": "100"})
    assert len(response.json()) == 2
    assert (response.headers["X-WP-Total"], response.headers["X-WP-TotalPages"]) == ("12", "6")


@pytest.mark.parametrize("scenario_mock", ["slow:every=1,delay=0.01"], indirect=True)
def test_slow(scenario_mock: Mock) -> None:
    with client_for(scenario_mock, "clawcheck-adapter") as client:
        assert client.get("/orders").status_code == 200
    assert "delayed 0.01s" in scenario_mock.journal.entries()[-1].notes


@pytest.mark.parametrize("scenario_mock", ["webhook-secret-rotated"], indirect=True)
def test_webhooks_signed_with_the_rotated_secret(scenario_mock: Mock) -> None:
    with client_for(scenario_mock, "clawcheck-adapter") as client:
        client.put("/orders/1040", json={"status": "completed"})
    delivery = scenario_mock.deliveries[-1]
    assert delivery.secret == "rotated"
    assert delivery.headers is not None
    rotated = scenario_mock.rotated_webhook_secret.encode()
    expected = base64.b64encode(hmac.new(rotated, delivery.body, hashlib.sha256).digest()).decode()
    assert delivery.headers["X-WC-Webhook-Signature"] == expected
    assert scenario_mock.adapter_env()["CLAWCHECK_WEBHOOK_SECRET_NEW"] == scenario_mock.rotated_webhook_secret


def test_the_anonymous_public_has_its_own_bucket(mock: Mock, web: httpx.Client) -> None:
    for _ in range(30):
        web.get(f"{BASE}/orders")
    with client_for(mock, "clawcheck-adapter") as client:
        assert client.get("/orders").status_code == 200
    assert adapter_key(mock).shop == "wc-user-1"
