"""A correct client of the toy platform, built from small overridable behaviours.

Each self-test of a client-behaviour check subclasses it with exactly one behaviour broken.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx
from tests.platforms.toy import sign

HOSTS = {"sandbox": "sandbox.toy.test", "production": "api.toy.test"}


class ToyClient:
    min_interval = 0.06  # seconds between requests: under the toy's 20 req/s

    def __init__(self, credentials: dict[str, str], environment: str = "sandbox") -> None:
        self.environment = environment
        self.token = credentials["TOY_ACCESS_TOKEN"]
        self.refresh_token = credentials["TOY_REFRESH_TOKEN"]
        self.expires_at = float("inf")
        self.http = httpx.Client(timeout=5.0)
        self._last = 0.0

    # -- behaviours (override one to make a wrong client) ---------------------------------

    def host(self) -> str:
        return HOSTS[self.environment]

    def now(self) -> float:
        return time.time()

    def timestamp(self) -> str:
        return str(int(self.now()))

    def since(self) -> str:
        return (datetime.now(UTC) - timedelta(days=7)).isoformat(timespec="seconds").replace("+00:00", "Z")

    def sign(self, path: str, timestamp: str) -> str:
        return sign(path, timestamp, self.token)

    def pace(self) -> None:
        gap = self._last + self.min_interval - time.monotonic()
        if gap > 0:
            time.sleep(gap)
        self._last = time.monotonic()

    def wait_after_throttle(self, seconds: float) -> None:
        time.sleep(seconds)

    def needs_refresh(self) -> bool:
        return time.time() >= self.expires_at - 0.05

    def refresh(self) -> None:
        response = self.http.post(
            "https://auth.toy.test/oauth/token", data={"refresh_token": self.refresh_token}
        )
        response.raise_for_status()
        data = response.json()
        self.token, self.refresh_token = data["access_token"], data["refresh_token"]
        self.expires_at = time.time() + data["expires_in"]

    def cursor_url(self, path: str, cursor: str) -> tuple[str, dict[str, str]]:
        return f"https://{self.host()}{path}", {"cursor": cursor}

    # -- the work ------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        url: str | None = None,
        json: object = None,
    ) -> httpx.Response:
        for _ in range(8):
            if self.needs_refresh():
                self.refresh()
            self.pace()
            ts = self.timestamp()
            query: dict[str, str] | None = {**(params or {}), "ts": ts, "sign": self.sign(path, ts)}
            target = url or f"https://{self.host()}{path}"
            if "?" in target:  # httpx would replace a query already in the URL: append to it
                target, query = f"{target}&{urlencode(query)}", None
            response = self.http.request(
                method,
                target,
                params=query,
                json=json,
                headers={"Authorization": f"Bearer {self.token}"},
            )
            if response.status_code == 429:
                self.wait_after_throttle(float(response.headers["Retry-After"]))
                continue
            if response.status_code == 401 and response.json()["error"] == "token_expired":
                self.on_expired()
                continue
            return response
        raise RuntimeError(f"gave up on {method} {path}")

    def on_expired(self) -> None:
        self.refresh()

    def list_orders(self) -> list[dict[str, object]]:
        orders: list[dict[str, object]] = []
        response = self.request("GET", "/orders", params={"since": self.since()})
        for _ in range(50):  # a client that never reaches the last page must not hang the test
            data = response.json()
            orders.extend(data["orders"])
            if not data["next_cursor"]:
                return orders
            url, params = self.cursor_url("/orders", data["next_cursor"])
            response = self.request("GET", "/orders", params=params, url=url)
        raise RuntimeError("more than 50 pages")

    def run(self, rounds: int = 1) -> list[dict[str, object]]:
        orders: list[dict[str, object]] = []
        for _ in range(rounds):
            orders = self.list_orders()
            self.request("POST", f"/orders/{orders[0]['id']}/ship", json={"tracking": "TRACK-1"})
        return orders
