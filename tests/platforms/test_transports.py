"""Every transport serves the same mock the same way: httpx through respx and requests through
an adapter (both in-process, at the real host names), and real HTTP on a loopback listener."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import requests
from requests.adapters import HTTPAdapter
from tests.platforms.toy import Toy, sign

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import in_process, intercept_httpx, intercept_requests
from clawcheck.serving import ASGIServer

SANDBOX = "sandbox.toy.test"

# (method, path, params, headers, body) -> (status, JSON body, content type)
Send = Callable[[str, str, dict[str, str], dict[str, str], bytes], tuple[int, Any, str]]


def _httpx_answer(response: httpx.Response) -> tuple[int, Any, str]:
    return response.status_code, response.json(), response.headers.get("content-type", "")


@contextmanager
def via_httpx(mock: Mock) -> Iterator[Send]:
    with intercept_httpx(mock), httpx.Client(timeout=5.0) as http:

        def send(method: str, path: str, params: dict[str, str], headers: dict[str, str], body: bytes) -> Any:
            url = f"https://{SANDBOX}{path}"
            return _httpx_answer(http.request(method, url, params=params, headers=headers, content=body))

        yield send


@contextmanager
def via_requests(mock: Mock) -> Iterator[Send]:
    with intercept_requests(mock), requests.Session() as session:

        def send(method: str, path: str, params: dict[str, str], headers: dict[str, str], body: bytes) -> Any:
            url = f"https://{SANDBOX}{path}"
            response = session.request(method, url, params=params, headers=headers, data=body, timeout=5)
            return response.status_code, response.json(), response.headers.get("content-type", "")

        yield send


@contextmanager
def via_server(mock: Mock) -> Iterator[Send]:
    with MockServer(mock) as server, httpx.Client(base_url=server.url_for(SANDBOX), timeout=5.0) as http:

        def send(method: str, path: str, params: dict[str, str], headers: dict[str, str], body: bytes) -> Any:
            return _httpx_answer(http.request(method, path, params=params, headers=headers, content=body))

        yield send


def script(mock: Mock, send: Send) -> list[tuple[int, Any, str]]:
    """The same conversation with the toy, whatever carries it."""
    token = mock.credentials["TOY_ACCESS_TOKEN"]

    def auth(path: str) -> tuple[dict[str, str], dict[str, str]]:
        ts = str(int(time.time()))
        return {"ts": ts, "sign": sign(path, ts, token)}, {"Authorization": f"Bearer {token}"}

    def signed(method: str, path: str, body: bytes = b"", extra: dict[str, str] | None = None) -> Any:
        params, headers = auth(path)
        headers["content-type"] = "application/json"
        return send(method, path, {**params, **(extra or {})}, headers, body)

    answers = [signed("GET", "/orders")]
    answers.append(signed("GET", "/orders", extra={"cursor": answers[0][1]["next_cursor"]}))
    answers += [
        signed("GET", "/orders", extra={"cursor": "made-up"}),
        signed("GET", "/no/such/thing"),
        signed("DELETE", "/orders"),
        signed("POST", "/echo", b'{"broken": '),
        signed("POST", "/echo", '{"text": "虾 ünïcode", "n": [1, 2.5, null]}'.encode()),
        signed("POST", "/orders/1/ship", b'{"tracking": "T-1"}'),
        signed("GET", "/boom"),
        send("GET", "/orders", {}, {}, b""),
        send("GET", "/orders", {"ts": "1", "sign": "0" * 64}, {"Authorization": f"Bearer {token}"}, b""),
        send("GET", "/_clawcheck/health", {}, {}, b""),
    ]
    return answers


def run(transport: Callable[[Mock], Any]) -> tuple[list[tuple[int, Any, str]], list[tuple[Any, ...]]]:
    mock = Mock(Toy, enforce_rate_limits=False)
    with transport(mock) as send:
        answers = script(mock, send)
    journal = [
        (e.method, e.host, e.path, e.status, e.operation, e.token_state, e.signature, tuple(e.notes))
        for e in mock.journal.entries()
    ]
    return answers, journal


@pytest.fixture(scope="module")
def reference() -> tuple[list[tuple[int, Any, str]], list[tuple[Any, ...]]]:
    return run(via_httpx)


def test_the_conversation_covers_every_kind_of_answer(
    reference: tuple[list[tuple[int, Any, str]], list[tuple[Any, ...]]],
) -> None:
    answers, journal = reference
    assert [status for status, _, _ in answers] == [
        200,
        200,
        400,
        404,
        405,
        400,
        200,
        200,
        500,
        401,
        403,
        200,
    ]
    assert answers[6][1] == {"got": {"text": "虾 ünïcode", "n": [1, 2.5, None]}}
    assert all(kind == "application/json" for _, _, kind in answers)
    assert len(journal) == len(answers) - 1  # the control request is not journaled
    assert all(host == SANDBOX for _, host, *_ in journal)


@pytest.mark.parametrize("transport", [via_requests, via_server], ids=["requests", "loopback-http"])
def test_every_transport_answers_the_same(
    transport: Callable[[Mock], Any],
    reference: tuple[list[tuple[int, Any, str]], list[tuple[Any, ...]]],
) -> None:
    answers, journal = run(transport)
    assert answers == reference[0]
    assert journal == reference[1]


# -- traffic that is not the platform's -------------------------------------------------------


async def hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"hello from loopback"})


@pytest.fixture(scope="module")
def loopback() -> Iterator[str]:
    with ASGIServer(hello) as server:
        yield server.base_url


def test_other_hosts_pass_through_httpx_interception(loopback: str) -> None:
    mock = Mock(Toy)
    with intercept_httpx(mock), httpx.Client(timeout=5.0) as http:
        response = http.get(loopback + "/anything")
        platform = http.get(f"https://{SANDBOX}/_clawcheck/health")
    assert (response.status_code, response.text) == (200, "hello from loopback")
    assert platform.json()["platform"] == "toy"
    assert len(mock.journal) == 0


def test_other_hosts_pass_through_requests_interception(loopback: str) -> None:
    mock = Mock(Toy)
    original = HTTPAdapter.send
    with intercept_requests(mock):
        response = requests.get(loopback + "/anything", timeout=5)
        platform = requests.get(f"https://{SANDBOX}/_clawcheck/health", timeout=5)
    assert (response.status_code, response.text) == (200, "hello from loopback")
    assert platform.json()["platform"] == "toy"
    assert HTTPAdapter.send is original  # interception is undone on exit


# -- in_process with a registered platform ----------------------------------------------------


def test_in_process_builds_the_named_platform_and_intercepts_its_hosts() -> None:
    from clawcheck.platforms.shopee import Shopee

    with in_process("shopee") as mock:
        assert mock.platform.name == "shopee"
        assert isinstance(mock.platform, Shopee)
        hosts = [h.name for h in Shopee.hosts]
        with httpx.Client(timeout=5.0) as http:
            by_httpx = http.get(f"https://{hosts[0]}/api/v2/shop/get_shop_info")
        by_requests = requests.get(f"https://{hosts[1]}/api/v2/shop/get_shop_info", timeout=5)
    assert by_httpx.status_code < 500
    assert by_requests.status_code < 500
    assert "error" in by_httpx.json()  # Shopee's own error body: unsigned
    seen = [(e.host, e.environment) for e in mock.journal.entries()]
    assert seen == [(hosts[0], "sandbox"), (hosts[1], "production")]


# -- the slow scenario in-process --------------------------------------------------------------


def test_the_slow_delay_is_honoured_by_requests_in_process() -> None:
    mock = Mock(Toy, scenarios=["slow:every=1,delay=0.3"])
    with intercept_httpx(mock), intercept_requests(mock), httpx.Client(timeout=5.0) as http:
        started = time.monotonic()
        by_httpx = http.get(f"https://{SANDBOX}/no/such/thing", headers={"Authorization": "Bearer x"})
        middle = time.monotonic()
        token = mock.credentials["TOY_ACCESS_TOKEN"]
        ts = str(int(time.time()))
        by_requests = requests.get(
            f"https://{SANDBOX}/orders",
            params={"ts": ts, "sign": sign("/orders", ts, token)},
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )
        finished = time.monotonic()
    assert by_httpx.status_code == 404  # no route: not slowed, the scenario shapes route answers only
    assert by_requests.status_code == 200
    assert finished - middle >= 0.3
    assert mock.journal.entries()[-1].notes == ["delayed 0.3s"]
    assert middle - started < 5.0


def test_the_slow_delay_is_honoured_by_httpx_in_process() -> None:
    mock = Mock(Toy, scenarios=["slow:every=1,delay=0.3"])
    token = mock.credentials["TOY_ACCESS_TOKEN"]
    with intercept_httpx(mock), httpx.Client(timeout=5.0) as http:
        ts = str(int(time.time()))
        started = time.monotonic()
        response = http.get(
            f"https://{SANDBOX}/orders",
            params={"ts": ts, "sign": sign("/orders", ts, token)},
            headers={"Authorization": f"Bearer {token}"},
        )
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed >= 0.3
