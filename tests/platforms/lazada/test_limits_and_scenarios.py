"""Flow control per seller, and the engine's scenarios as Lazada answers them."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from clawcheck.errors import ConfigError
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.lazada import Lazada
from clawcheck.platforms.model import MockRequest

from .conftest import MY, SG, SG_HOST, Client, Clock


def _client(clock: Clock, *scenarios: str) -> Iterator[Client]:
    mock = Mock(Lazada, scenarios=scenarios, clock=lambda: clock.now, monotonic=lambda: clock.mono)
    yield Client(mock, clock)
    mock.close()


BAN_1S = "Api access frequency exceeds the limit. this ban will last 1 seconds"


def test_exceeding_the_sellers_rate_is_api_call_limit_with_http_200(client: Client) -> None:
    client.step = 0.0  # a client that does not pace itself
    answers = [client.orders() for _ in range(11)]
    assert [a.code for a in answers[:10]] == ["0"] * 10
    refused = answers[10]
    assert refused.status == 200
    assert refused.body["type"] == "ISV"
    assert refused.code == "ApiCallLimit"
    assert refused.body["message"] == BAN_1S
    entry = client.mock.journal.entries()[-1]
    assert (entry.throttle, entry.retry_after, entry.retry_after_advertised) == ("limit", 1.0, True)


def test_other_sellers_are_not_affected(client: Client) -> None:
    client.step = 0.0
    for _ in range(11):
        client.orders()
    assert client.orders().code == "ApiCallLimit"
    assert client.orders(seller=MY, host="api.lazada.com.my").code == "0"


def test_the_ban_ends_after_the_advertised_wait(client: Client) -> None:
    client.step = 0.0
    for _ in range(11):
        client.orders()
    client.clock.advance(1.0)
    assert client.orders().code == "0"


def test_a_paced_client_is_never_throttled(client: Client) -> None:
    client.step = 0.1  # exactly 10 requests per second
    assert {client.orders().code for _ in range(40)} == {"0"}


def test_token_exchange_is_not_rate_limited(client: Client) -> None:
    client.step = 0.0
    codes = {client.auth("/auth/token/refresh", refresh_token="x").code for _ in range(15)}
    assert codes == {"IllegalRefreshToken"}


def test_token_expiry_scenario_shortens_the_lifetime(clock: Clock) -> None:
    for client in _client(clock, "token-expiry"):
        assert client.orders().code == "0"
        clock.advance(3.1)
        assert client.orders().code == "IllegalAccessToken"
        body = client.auth(
            "/auth/token/refresh", refresh_token=client.platform.state.sellers[SG].refresh_token
        ).body
        assert body["expires_in"] == 3
        assert client.orders().code == "0"


def test_rate_limit_burst_scenario_answers_lazadas_ban(clock: Clock) -> None:
    for client in _client(clock, "rate-limit-burst:every=3,window=1.5"):
        answers = [client.orders() for _ in range(3)]
        assert [a.code for a in answers] == ["0", "0", "ApiCallLimit"]
        assert answers[2].body["message"].endswith("this ban will last 2 seconds")
        entry = client.mock.journal.entries()[-1]
        assert (entry.throttle, entry.retry_after) == ("scenario", 2.0)


def test_server_errors_scenario_answers_5xx_with_lazadas_body(clock: Clock) -> None:
    for client in _client(clock, "server-errors:every=2"):
        client.orders()
        failed = client.orders()
        assert failed.status == 503
        assert (failed.body["type"], failed.code) == ("SYSTEM", "ServiceUnavailable")
        assert client.auth("/auth/token/refresh", refresh_token="x").status == 200  # public routes are spared


def test_slow_scenario_delays_responses(clock: Clock) -> None:
    for client in _client(clock, "slow:every=1,delay=0.5"):
        request_params = client.signed("/orders/get", {"created_after": "2026-01-01T00:00:00+00:00"})
        response = client.mock.handle(
            MockRequest.build("GET", "/rest/orders/get", host=SG_HOST, query_string=urlencode(request_params))
        )
        assert response.delay == 0.5


def test_clock_skew_scenario_keeps_accepting_true_timestamps(clock: Clock) -> None:
    for client in _client(clock, "clock-skew:seconds=600"):
        assert client.orders().code == "0"  # 600 s is well inside Lazada's 7200 s window
        entry = client.mock.journal.entries()[-1]
        assert entry.client_timestamps[0][1] == pytest.approx(clock.now, abs=1)


def test_webhook_secret_rotation_does_not_apply_to_lazada() -> None:
    with pytest.raises(ConfigError, match="does not apply"):
        Mock(Lazada, scenarios=["webhook-secret-rotated"])
