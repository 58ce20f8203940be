"""The engine around a platform's routes, on the toy platform: routing and errors, the control
API, rate limits, host-restricted routes, tokens, webhooks, and the loopback server."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from tests.platforms.toy import SECRET, SHOPS, Toy, sign

from clawcheck.errors import ConfigError
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import Call, MockRequest, MockResponse, fingerprint, route
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import intercept_httpx
from clawcheck.serving import ASGIServer

SANDBOX = "sandbox.toy.test"
PRODUCTION = "api.toy.test"
AUTH = "auth.toy.test"
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z


@dataclass
class FakeClock:
    now: float = START

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def signed(mock: Mock, path: str, shop: int = 0) -> tuple[dict[str, str], dict[str, str]]:
    """Query and headers of a correct toy request for `path` by `SHOPS[shop]`."""
    token = mock.platform.state.access[SHOPS[shop]]
    ts = str(int(mock.now()))
    return {"ts": ts, "sign": sign(path, ts, token)}, {"Authorization": f"Bearer {token}"}


def handle(
    mock: Mock,
    method: str,
    path: str,
    *,
    host: str = SANDBOX,
    shop: int | None = 0,
    body: bytes = b"",
    content_type: str = "application/json",
) -> MockResponse:
    """One request straight into the engine; `shop=None` sends it unauthenticated."""
    query: dict[str, str] = {}
    headers: dict[str, str] = {"content-type": content_type}
    if shop is not None:
        query, auth = signed(mock, path, shop)
        headers.update(auth)
    request = MockRequest.build(
        method,
        path,
        host=host,
        query_string="&".join(f"{k}={v}" for k, v in query.items()),
        headers=headers.items(),
        body=body,
    )
    return mock.handle(request)


def data(response: MockResponse) -> Any:
    return json.loads(response.body)


@pytest.fixture
def mock() -> Iterator[Mock]:
    toy = Mock(Toy)
    yield toy
    toy.close()


@pytest.fixture
def http(mock: Mock) -> Iterator[httpx.Client]:
    with intercept_httpx(mock), httpx.Client(timeout=5.0) as client:
        yield client


def get(http: httpx.Client, mock: Mock, path: str, shop: int = 0, host: str = SANDBOX) -> httpx.Response:
    query, headers = signed(mock, path, shop)
    return http.get(f"https://{host}{path}", params=query, headers=headers)


# -- routing and errors ----------------------------------------------------------------------


def test_an_unknown_path_is_a_404_in_the_platform_error_shape(http: httpx.Client, mock: Mock) -> None:
    response = get(http, mock, "/no/such/thing")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "/no/such/thing" in response.json()["message"]
    assert mock.journal.entries()[-1].operation is None


def test_a_wrong_method_on_a_known_path_is_a_405(http: httpx.Client, mock: Mock) -> None:
    query, headers = signed(mock, "/orders")
    response = http.delete(f"https://{SANDBOX}/orders", params=query, headers=headers)
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_a_handler_that_raises_is_a_500_and_the_server_keeps_serving(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mock = Mock(Toy)
    with MockServer(mock) as server, httpx.Client(base_url=server.base_url, timeout=5.0) as http:
        query, headers = signed(mock, "/boom")
        boom = http.get("/boom", params=query, headers=headers)
        query, headers = signed(mock, "/orders")
        after = http.get("/orders", params=query, headers=headers)
    assert boom.status_code == 500
    assert boom.json() == {"error": "internal_error", "message": "internal error"}
    assert after.status_code == 200
    entries = mock.journal.entries()
    assert entries[0].status == 500
    assert "mock-error: RuntimeError" in entries[0].notes
    assert "a handler bug" in caplog.text


def test_invalid_json_is_a_400(http: httpx.Client, mock: Mock) -> None:
    query, headers = signed(mock, "/echo")
    response = http.post(
        f"https://{SANDBOX}/echo",
        params=query,
        headers={**headers, "content-type": "application/json"},
        content=b'{"tracking": ',
    )
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert "not valid JSON" in response.json()["message"]


def test_valid_json_is_echoed(http: httpx.Client, mock: Mock) -> None:
    query, headers = signed(mock, "/echo")
    response = http.post(f"https://{SANDBOX}/echo", params=query, headers=headers, json={"a": [1, "b"]})
    assert response.status_code == 200
    assert response.json() == {"got": {"a": [1, "b"]}}


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_a_deeply_nested_json_body_is_never_a_5xx(mock: Mock, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    body = (opening * 5000 + "1" + closing * 5000).encode()
    response = handle(mock, "POST", "/echo", body=body)
    assert response.status < 500, response.body[:200]
    assert "mock-error" not in " ".join(mock.journal.entries()[-1].notes)


# -- control API -----------------------------------------------------------------------------


def test_control_health(http: httpx.Client) -> None:
    response = http.get(f"https://{SANDBOX}/_clawcheck/health")
    assert response.status_code == 200
    assert response.json() == {"platform": "toy", "environment": "sandbox"}


def test_the_journal_holds_fingerprints_and_masked_signs_never_tokens(http: httpx.Client, mock: Mock) -> None:
    token = mock.credentials["TOY_ACCESS_TOKEN"]
    assert get(http, mock, "/orders").status_code == 200
    response = http.get(f"https://{SANDBOX}/_clawcheck/journal")
    assert response.status_code == 200
    entries = response.json()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["method"], entry["host"], entry["path"], entry["status"]) == (
        "GET",
        SANDBOX,
        "/orders",
        200,
    )
    assert entry["token"] == fingerprint(token)
    assert entry["token"].startswith("fp-")
    assert entry["query"]["sign"] == "***"
    assert entry["query"]["ts"].isdigit()
    assert token not in response.text
    assert SECRET not in response.text


def test_reset_clears_the_journal_and_reseeds_the_state(http: httpx.Client, mock: Mock) -> None:
    query, headers = signed(mock, "/orders/1/ship")
    shipped = http.post(f"https://{SANDBOX}/orders/1/ship", params=query, headers=headers, json={})
    assert shipped.json()["status"] == "shipped"
    assert len(mock.journal) == 1
    response = http.post(f"https://{SANDBOX}/_clawcheck/reset")
    assert response.status_code == 200
    assert response.json() == {"reset": True}
    assert len(mock.journal) == 0
    assert mock.platform.state.orders[0]["status"] == "paid"
    assert mock.credentials["TOY_ACCESS_TOKEN"] == mock.platform.state.access[SHOPS[0]]
    assert get(http, mock, "/orders").status_code == 200


def test_orders_on_a_platform_that_cannot_simulate_them_is_a_json_404(http: httpx.Client) -> None:
    response = http.post(f"https://{SANDBOX}/_clawcheck/orders")
    assert response.status_code == 404
    assert "cannot simulate orders" in response.json()["error"]


@pytest.mark.parametrize(("method", "path"), [("GET", "/_clawcheck/nope"), ("GET", "/_clawcheck/reset")])
def test_an_unknown_control_action_is_a_404(http: httpx.Client, method: str, path: str) -> None:
    response = http.request(method, f"https://{SANDBOX}{path}")
    assert response.status_code == 404
    assert "unknown control action" in response.json()["error"]


def test_control_requests_are_not_journaled(http: httpx.Client, mock: Mock) -> None:
    for path in ("health", "journal", "deliveries", "nope"):
        http.get(f"https://{SANDBOX}/_clawcheck/{path}")
    http.post(f"https://{SANDBOX}/_clawcheck/orders")
    assert len(mock.journal) == 0
    assert mock.journal.next_seq() == 1


# -- rate limits -------------------------------------------------------------------------------


def test_a_burst_over_the_limit_is_throttled_per_shop() -> None:
    clock = FakeClock()
    mock = Mock(Toy, clock=clock.time, monotonic=clock.time)  # frozen: no refill during the burst
    with intercept_httpx(mock), httpx.Client() as http:
        burst = [get(http, mock, "/orders").status_code for _ in range(int(Toy.rate_limit.burst) + 1)]
        throttled = get(http, mock, "/orders")
        other = get(http, mock, "/orders", shop=1)
    assert burst == [200] * int(Toy.rate_limit.burst) + [429]
    assert throttled.status_code == 429
    assert float(throttled.headers["Retry-After"]) == pytest.approx(1 / Toy.rate_limit.per_second)
    assert throttled.json()["error"] == "too_many_requests"
    assert other.status_code == 200
    entries = mock.journal.entries()
    limited = [e for e in entries if e.status == 429]
    assert len(limited) == 2
    assert all(e.throttle == "limit" and e.shop == SHOPS[0] for e in limited)
    assert all(e.retry_after_advertised and e.retry_after for e in limited)
    assert entries[-1].throttle is None


def test_the_bucket_refills_over_time() -> None:
    clock = FakeClock()
    mock = Mock(Toy, clock=clock.time, monotonic=clock.time)
    for _ in range(int(Toy.rate_limit.burst)):
        assert handle(mock, "GET", "/orders").status == 200
    assert handle(mock, "GET", "/orders").status == 429
    clock.advance(1 / Toy.rate_limit.per_second)
    assert handle(mock, "GET", "/orders").status == 200


def test_rate_limits_can_be_switched_off() -> None:
    clock = FakeClock()
    mock = Mock(Toy, clock=clock.time, monotonic=clock.time, enforce_rate_limits=False)
    statuses = {handle(mock, "GET", "/orders").status for _ in range(int(Toy.rate_limit.burst) * 4)}
    assert statuses == {200}
    assert all(e.throttle is None for e in mock.journal.entries())


# -- hosts -------------------------------------------------------------------------------------


class HostBoundToy(Toy):
    @route("GET", "/live-only", name="live_only", public=True, hosts=(PRODUCTION,))
    def live_only(self, call: Call) -> MockResponse:
        return call.json(200, {"ok": True})


def test_a_route_restricted_to_a_host_is_a_404_elsewhere_not_a_405() -> None:
    mock = Mock(HostBoundToy)
    assert handle(mock, "GET", "/live-only", host=PRODUCTION, shop=None).status == 200
    elsewhere = handle(mock, "GET", "/live-only", host=SANDBOX, shop=None)
    assert elsewhere.status == 404
    assert data(elsewhere)["error"] == "not_found"
    assert handle(mock, "POST", "/live-only", host=PRODUCTION, shop=None).status == 405
    assert handle(mock, "POST", "/live-only", host=SANDBOX, shop=None).status == 404


# -- tokens ------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timed(clock: FakeClock) -> Mock:
    return Mock(Toy, clock=clock.time)


def test_a_token_is_valid_until_its_lifetime_ends(timed: Mock, clock: FakeClock) -> None:
    token = timed.tokens.issue("shop-x")
    assert token.expires_at == START + Toy.token_ttl
    assert token.expires_in(clock.now) == Toy.token_ttl
    checked = timed.tokens.check(token.access)
    assert (checked.state, checked.shop) == ("valid", "shop-x")
    clock.advance(Toy.token_ttl - 1)
    assert timed.tokens.check(token.access).state == "valid"
    clock.advance(1)
    assert timed.tokens.check(token.access).state == "expired"
    assert token.expires_in(clock.now) == 0


def test_unknown_and_missing_tokens_are_invalid(timed: Mock) -> None:
    assert timed.tokens.check(None).state == "invalid"
    assert timed.tokens.check("").state == "invalid"
    assert timed.tokens.check("made-up").state == "invalid"


def test_an_expired_token_is_refused_over_http(timed: Mock, clock: FakeClock) -> None:
    clock.advance(Toy.token_ttl + 1)
    response = handle(timed, "GET", "/orders")
    assert response.status == 401
    assert data(response)["error"] == "token_expired"
    assert timed.journal.entries()[-1].token_state == "expired"


def test_an_infinite_ttl_never_expires(timed: Mock, clock: FakeClock) -> None:
    token = timed.tokens.issue("shop-x", ttl=math.inf)
    assert token.expires_at is None
    assert token.expires_in(clock.now) is None
    clock.advance(1e9)
    assert timed.tokens.check(token.access).state == "valid"
    assert fingerprint(token.access) not in timed.tokens.expiries()


def test_a_rotating_refresh_is_single_use(timed: Mock) -> None:
    old = timed.tokens.issue("shop-x")
    fresh = timed.tokens.refresh(old.refresh)
    assert fresh is not None
    assert fresh.access != old.access
    assert fresh.refresh not in (None, old.refresh)
    assert fresh.shop == "shop-x"
    assert timed.tokens.refresh(old.refresh) is None  # used
    assert timed.tokens.check(old.access).state == "valid"  # not revoked unless asked
    again = timed.tokens.refresh(fresh.refresh)
    assert again is not None
    assert timed.tokens.check(again.access).state == "valid"


def test_revoke_old_revokes_the_previous_access_token(timed: Mock) -> None:
    old = timed.tokens.issue("shop-x")
    fresh = timed.tokens.refresh(old.refresh, revoke_old=True)
    assert fresh is not None
    assert timed.tokens.check(old.access).state == "invalid"
    assert timed.tokens.check(fresh.access).state == "valid"


def test_a_non_rotating_refresh_keeps_working_with_its_original_lifetime(
    timed: Mock, clock: FakeClock
) -> None:
    old = timed.tokens.issue("shop-x")
    clock.advance(100)
    first = timed.tokens.refresh(old.refresh, rotate=False)
    second = timed.tokens.refresh(old.refresh, rotate=False)
    assert first is not None
    assert second is not None
    assert first.refresh == second.refresh == old.refresh
    assert first.access != second.access
    assert first.refresh_expires_at == old.refresh_expires_at
    assert first.expires_at == clock.now + Toy.token_ttl
    assert timed.tokens.check(second.access).state == "valid"
    clock.advance(Toy.refresh_ttl)
    assert timed.tokens.refresh(old.refresh, rotate=False) is None  # the refresh token expired


@pytest.mark.parametrize("keep", [True, False])
def test_keep_refresh_expiry(timed: Mock, clock: FakeClock, keep: bool) -> None:
    old = timed.tokens.issue("shop-x")
    clock.advance(1000)
    fresh = timed.tokens.refresh(old.refresh, keep_refresh_expiry=keep)
    assert fresh is not None
    assert fresh.refresh != old.refresh
    expected = old.refresh_expires_at if keep else clock.now + Toy.refresh_ttl
    assert fresh.refresh_expires_at == expected
    clock.advance(Toy.refresh_ttl - 500)  # past the original refresh expiry, not past a new one
    assert (timed.tokens.refresh(fresh.refresh) is None) is keep


def test_revoked_tokens_are_invalid(timed: Mock) -> None:
    token = timed.tokens.issue("shop-x")
    timed.tokens.revoke(token.access)
    assert timed.tokens.check(token.access).state == "invalid"
    timed.tokens.revoke(token.refresh or "")
    assert timed.tokens.refresh(token.refresh) is None


def test_token_values_are_secrets_of_the_mock(timed: Mock) -> None:
    token = timed.tokens.issue("shop-x")
    assert {token.access, token.refresh} <= set(timed.secrets())
    assert SECRET in timed.secrets()


def test_the_toy_token_route_refreshes(timed: Mock) -> None:
    refresh = timed.credentials["TOY_REFRESH_TOKEN"]
    request = MockRequest.build(
        "POST",
        "/oauth/token",
        host=AUTH,
        headers=[("content-type", "application/x-www-form-urlencoded")],
        body=f"refresh_token={refresh}".encode(),
    )
    response = timed.handle(request)
    assert response.status == 200
    assert data(response)["expires_in"] == Toy.token_ttl
    assert timed.handle(request).status == 400  # single use


# -- webhooks ----------------------------------------------------------------------------------


class SignedToy(Toy):
    webhook_secret_env = "TOY_APP_SECRET"


@dataclass
class Receiver:
    """A loopback webhook receiver that records what it got and answers `status`."""

    status: int = 200
    received: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        with self.lock:
            self.received.append((body, headers))
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, ASGIServer]]:
    app = Receiver()
    with ASGIServer(app) as server:
        yield app, server


def ship(mock: Mock, order: int = 1) -> MockResponse:
    response = handle(mock, "POST", f"/orders/{order}/ship", body=b'{"tracking": "T-1"}')
    assert response.status == 200, response.body
    return response


def digest(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_without_a_webhook_url_the_notification_stays_in_the_outbox() -> None:
    mock = Mock(SignedToy)
    ship(mock)
    assert len(mock.deliveries) == 1
    delivery = mock.deliveries[0]
    assert (delivery.topic, delivery.status, delivery.secret) == ("order.shipped", None, "current")
    assert delivery.error == "no webhook URL"
    assert json.loads(delivery.body) == {"id": 1}
    assert delivery.headers is not None
    assert delivery.headers["X-Toy-Signature"] == digest(SECRET, delivery.body)


def test_a_delivery_arrives_signed_with_the_webhook_secret(receiver: tuple[Receiver, ASGIServer]) -> None:
    app, server = receiver
    mock = Mock(SignedToy, webhook_url=server.base_url + "/hooks")
    try:
        ship(mock)
        mock.flush_webhooks(timeout=10.0)
    finally:
        mock.close()
    assert len(app.received) == 1
    body, headers = app.received[0]
    assert json.loads(body) == {"id": 1}
    assert headers["x-toy-topic"] == "order.shipped"
    assert headers["x-toy-signature"] == digest(SECRET, body)
    assert headers["content-type"] == "application/json"
    assert [(d.status, d.secret) for d in mock.deliveries] == [(200, "current")]
    assert "CLAWCHECK_WEBHOOK_SECRET_NEW" not in mock.adapter_env()


def test_with_a_rotated_secret_deliveries_are_signed_with_it(receiver: tuple[Receiver, ASGIServer]) -> None:
    app, server = receiver
    mock = Mock(SignedToy, webhook_url=server.base_url, scenarios=["webhook-secret-rotated"])
    try:
        ship(mock)
        mock.flush_webhooks(timeout=10.0)
    finally:
        mock.close()
    rotated = mock.rotated_webhook_secret
    assert rotated
    assert rotated != SECRET
    body, headers = app.received[0]
    assert headers["x-toy-signature"] == digest(rotated, body)
    assert headers["x-toy-signature"] != digest(SECRET, body)
    assert mock.deliveries[0].secret == "rotated"
    assert mock.adapter_env()["CLAWCHECK_WEBHOOK_SECRET_NEW"] == rotated
    assert rotated in mock.secrets()


def test_a_receiver_answering_500_is_retried_three_times(receiver: tuple[Receiver, ASGIServer]) -> None:
    app, server = receiver
    app.status = 500
    mock = Mock(SignedToy, webhook_url=server.base_url)
    try:
        ship(mock)
        mock.flush_webhooks(timeout=10.0)
    finally:
        mock.close()
    assert [d.status for d in mock.deliveries] == [500, 500, 500]
    assert len(app.received) == 3
    assert len({body for body, _ in app.received}) == 1


def test_deliveries_are_listed_by_the_control_api_without_secrets() -> None:
    mock = Mock(SignedToy)
    ship(mock)
    response = mock.handle(MockRequest.build("GET", "/_clawcheck/deliveries", host=SANDBOX))
    assert data(response) == [
        {
            "topic": "order.shipped",
            "at": mock.deliveries[0].at,
            "status": None,
            "secret": "current",
            "error": "no webhook URL",
        }
    ]
    assert SECRET.encode() not in response.body


# -- the loopback server -----------------------------------------------------------------------


@pytest.mark.parametrize(("environment", "primary"), [("sandbox", SANDBOX), ("production", PRODUCTION)])
def test_the_server_env_names_every_listener(environment: str, primary: str) -> None:
    mock = Mock(Toy, environment=environment)
    with MockServer(mock) as server:
        env = server.env()
        urls = server.urls
        assert env["CLAWCHECK_BASE_URL"] == server.url_for(primary) == server.base_url
        assert json.loads(env["CLAWCHECK_HOSTS"]) == urls
        assert set(urls) == {h.name for h in Toy.hosts}
        assert len(set(urls.values())) == len(Toy.hosts)
        assert env["CLAWCHECK_AUTH_URL"] == server.url_for(AUTH)
        assert env["CLAWCHECK_CONTROL_URL"] == server.base_url + "/_clawcheck"
        assert env["CLAWCHECK_ENV"] == environment
        assert env["CLAWCHECK_PLATFORM"] == "toy"
        assert env["TOY_ACCESS_TOKEN"] == mock.credentials["TOY_ACCESS_TOKEN"]
        with httpx.Client(timeout=5.0) as http:
            health = http.get(env["CLAWCHECK_CONTROL_URL"] + "/health").json()
        assert health == {"platform": "toy", "environment": environment}


def test_each_listener_journals_its_own_host_and_environment() -> None:
    mock = Mock(Toy)
    with MockServer(mock) as server, httpx.Client(timeout=5.0) as http:
        for host in (SANDBOX, PRODUCTION, AUTH):
            query, headers = signed(mock, "/orders")
            assert (
                http.get(server.url_for(host) + "/orders", params=query, headers=headers).status_code == 200
            )
    seen = [(e.host, e.environment, e.status) for e in mock.journal.entries()]
    assert seen == [(SANDBOX, "sandbox", 200), (PRODUCTION, "production", 200), (AUTH, "any", 200)]


def test_a_taken_port_is_a_one_line_config_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = MockServer(Mock(Toy), port=port)
        with pytest.raises(ConfigError) as raised:
            server.start()
    message = str(raised.value)
    assert str(port) in message
    assert "\n" not in message
    assert "in use" in message


class MultiMethodToy(Toy):
    @route(("PUT", "PATCH"), "/multi", name="multi", public=True)
    def multi(self, call: Call) -> MockResponse:
        return call.json(200, {"method": call.request.method})


def test_one_route_may_serve_several_methods_under_one_operation_name() -> None:
    mock = Mock(MultiMethodToy)
    with intercept_httpx(mock), httpx.Client(timeout=5.0) as client:
        put = client.put("https://sandbox.toy.test/multi")
        patch = client.patch("https://sandbox.toy.test/multi")
        get = client.get("https://sandbox.toy.test/multi")
    assert (put.json(), patch.json()) == ({"method": "PUT"}, {"method": "PATCH"})
    assert get.status_code == 405
    assert [e.operation for e in mock.journal.entries()] == ["multi", "multi", None]
