"""Shared helpers for the Walmart mock's tests: a controllable clock and a correct client."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import MockRequest, MockResponse
from clawcheck.platforms.scenarios import ScenarioSpec
from clawcheck.platforms.walmart import PRODUCTION_HOST, SANDBOX_HOST, Walmart

__all__ = ["PRODUCTION_HOST", "SANDBOX_HOST", "Api", "Clock", "basic", "body", "error", "make_mock"]


class Clock:
    """Wall and monotonic time that only move when a test says so."""

    def __init__(self) -> None:
        self.wall = time.time()
        self.mono = 1_000.0

    def time(self) -> float:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


def make_mock(
    *,
    environment: str = "sandbox",
    scenarios: Iterable[str | ScenarioSpec] = (),
    clock: Clock | None = None,
) -> Mock:
    clock = clock or Clock()
    return Mock(
        Walmart, environment=environment, scenarios=scenarios, clock=clock.time, monotonic=clock.monotonic
    )


def body(response: MockResponse) -> Any:
    return json.loads(response.body)


def error(response: MockResponse) -> dict[str, Any]:
    """The first error object of either Walmart envelope."""
    data = body(response)
    items = data["error"] if "error" in data else data["errors"]["error"]
    first: dict[str, Any] = items[0]
    return first


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


class Api:
    """Requests as a correct Walmart client sends them, straight into `Mock.handle`."""

    def __init__(self, mock: Mock, *, host: str | None = None) -> None:
        self.mock = mock
        self.host = host or (SANDBOX_HOST if mock.environment == "sandbox" else PRODUCTION_HOST)
        self.access = ""

    @property
    def platform(self) -> Walmart:
        platform = self.mock.platform
        assert isinstance(platform, Walmart)
        return platform

    def service_headers(self) -> dict[str, str]:
        return {
            "WM_SVC.NAME": "Walmart Marketplace",
            "WM_QOS.CORRELATION_ID": str(uuid.uuid4()),
            "Accept": "application/json",
        }

    def send(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        headers: Mapping[str, str] | None = None,
        data: bytes = b"",
        host: str | None = None,
    ) -> MockResponse:
        request = MockRequest.build(
            method,
            path,
            host=host or self.host,
            query_string=query,
            headers=(headers or {}).items(),
            body=data,
        )
        return self.mock.handle(request)

    def token(
        self,
        client_id: str | None = None,
        secret: str | None = None,
        *,
        form: str = "grant_type=client_credentials",
        headers: Mapping[str, str] | None = None,
        host: str | None = None,
    ) -> MockResponse:
        credentials = self.mock.credentials
        sent = {
            **self.service_headers(),
            "Authorization": basic(
                client_id or credentials["WALMART_CLIENT_ID"], secret or credentials["WALMART_CLIENT_SECRET"]
            ),
            "Content-Type": "application/x-www-form-urlencoded",
            **(headers or {}),
        }
        return self.send("POST", "/v3/token", headers=sent, data=form.encode(), host=host)

    def login(self, client_id: str | None = None, secret: str | None = None) -> str:
        response = self.token(client_id, secret)
        assert response.status == 200, response.body
        self.access = body(response)["access_token"]
        return self.access

    def call(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        json_body: Any = None,
        raw: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        token: str | None = None,
        host: str | None = None,
        drop: Iterable[str] = (),
    ) -> MockResponse:
        """An authenticated call with the last login's token (or `token`), less the `drop` headers."""
        sent = {**self.service_headers(), "WM_SEC.ACCESS_TOKEN": token if token is not None else self.access}
        data = raw if raw is not None else b""
        if json_body is not None:
            data = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        for name in drop:
            sent.pop(name, None)
        return self.send(method, path, query=query, headers=sent, data=data, host=host)
