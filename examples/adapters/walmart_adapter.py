"""A reference seller adapter for the Walmart Marketplace API (US).

It stands for a seller's integration in any language: stdlib + httpx, no clawcheck import.
Walmart has no widely used official Python SDK, so this adapter is the reference client.
One pass: get an access token, list every order (all pages), read one order, set the
inventory of a SKU and read it back, acknowledge and ship one open order, then list again
and check that the order is shipped.

What it does right, each in its own small method so a test can break exactly one:
- `host`: `sandbox.walmartapis.com` for the sandbox, `marketplace.walmartapis.com` for
  production; credentials and tokens of one are refused by the other.
- `refresh` / `needs_refresh`: the Token API (HTTP Basic client id/secret,
  `grant_type=client_credentials`) gives a 900-second token; get a new one shortly before
  it expires and at once on 401 `UNAUTHORIZED.GMP_GATEWAY_API`, never reusing the old one.
- `sign`: Walmart signs nothing since its move to OAuth; every call carries the token in
  `WM_SEC.ACCESS_TOKEN` (not `Authorization: Bearer`), `WM_SVC.NAME`, a fresh
  `WM_QOS.CORRELATION_ID` and `Accept: application/json`.
- `pace`: a local token bucket per API with Walmart's published limits (orders 5000/min,
  shipping 60/min, inventory 200/min), per seller.
- `wait_after_throttle`: a 429 carries no Retry-After, only `x-next-replenishment-time`
  (epoch milliseconds): wait until then before calling that API again.
- `next_page`: `list.meta.nextCursor` is a query string (`?limit=...&cursor=...`) to append
  to `/v3/orders` exactly as given, with no other parameters.
- 5xx: retried with exponential backoff; every date-time sent is UTC
  (`createdStartDate=2024-03-15T12:00:00.000Z`, `shipDateTime` in epoch milliseconds).

Environment: CLAWCHECK_BASE_URL, CLAWCHECK_HOSTS (JSON: real host -> local base URL),
CLAWCHECK_ENV (sandbox|production), CLAWCHECK_DURATION (seconds, 0 = one pass), and the
credentials WALMART_CLIENT_ID and WALMART_CLIENT_SECRET.

Run: python examples/adapters/walmart_adapter.py   (exit 0 on success, 1 with one line on failure)
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

HOSTS = {"sandbox": "sandbox.walmartapis.com", "production": "marketplace.walmartapis.com"}
SERVICE_NAME = "Walmart Marketplace"
# Walmart's per-seller limits: requests per minute, per API.
LIMITS_PER_MINUTE = {
    "getAllOrders": 5000,
    "getAnOrder": 5000,
    "acknowledgeOrders": 60,
    "shippingUpdates": 60,
    "getInventory": 200,
    "updateInventory": 200,
    "token": 60,
}
MAX_ATTEMPTS = 6
PAGE_SIZE = 3  # small pages, so that even a handful of orders takes several pages
LOOKBACK_DAYS = 7
REFRESH_MARGIN = 60.0  # seconds before expiry to get a new token (at most a fifth of its life)
POLL_INTERVAL = 1.0  # seconds between rounds when CLAWCHECK_DURATION asks for more than one
MAX_THROTTLE_WAIT = 120.0  # never trust a replenishment time further away than this


class AdapterError(Exception):
    """A failure worth one line on stderr and exit status 1."""


@dataclass
class AccessToken:
    value: str
    expires_at: float  # time.time() seconds
    lifetime: float


@dataclass
class Bucket:
    """The client-side mirror of one API's token bucket."""

    per_second: float
    capacity: float
    tokens: float
    updated: float


@dataclass(frozen=True)
class Config:
    environment: str
    hosts: Mapping[str, str]
    client_id: str
    client_secret: str
    duration: float

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Config:
        def need(name: str) -> str:
            value = env.get(name, "").strip()
            if not value:
                raise AdapterError(f"{name} is not set")
            return value

        environment = env.get("CLAWCHECK_ENV", "sandbox")
        if environment not in HOSTS:
            raise AdapterError(f"CLAWCHECK_ENV must be sandbox or production, not {environment!r}")
        try:
            hosts = json.loads(env.get("CLAWCHECK_HOSTS") or "{}")
            duration = float(env.get("CLAWCHECK_DURATION") or 0)
        except ValueError as exc:
            raise AdapterError(f"bad CLAWCHECK_HOSTS or CLAWCHECK_DURATION: {exc}") from None
        if env.get("CLAWCHECK_BASE_URL") and HOSTS[environment] not in hosts:
            hosts[HOSTS[environment]] = env["CLAWCHECK_BASE_URL"]
        return cls(environment, hosts, need("WALMART_CLIENT_ID"), need("WALMART_CLIENT_SECRET"), duration)


class Adapter:
    def __init__(self, config: Config, client: httpx.Client | None = None) -> None:
        self.config = config
        self.client = client or httpx.Client(timeout=30.0)
        self.token: AccessToken | None = None
        self.buckets: dict[str, Bucket] = {}
        self.blocked_until: dict[str, float] = {}  # API -> monotonic time it may be called again

    # -- time ------------------------------------------------------------------------

    def now(self) -> float:
        return time.time()

    def timestamp(self, moment: datetime) -> str:
        """ISO 8601 in UTC with milliseconds and `Z`, as Walmart's examples write it."""
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    def epoch_ms(self) -> int:
        return int(self.now() * 1000)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    # -- where and who -----------------------------------------------------------------

    def host(self) -> str:
        return HOSTS[self.config.environment]

    def url(self, path: str) -> str:
        base = self.config.hosts.get(self.host(), f"https://{self.host()}")
        return base.rstrip("/") + path

    def needs_refresh(self) -> bool:
        if self.token is None:
            return True
        margin = min(REFRESH_MARGIN, self.token.lifetime / 5)
        return self.now() >= self.token.expires_at - margin

    def refresh(self) -> None:
        """Client credentials for a new access token; the old one is dropped, never reused."""
        self.token = None
        basic = base64.b64encode(f"{self.config.client_id}:{self.config.client_secret}".encode()).decode()
        headers = {**self.service_headers(), "Authorization": f"Basic {basic}"}
        response = self.send(
            "POST", "/v3/token", "token", headers=headers, data={"grant_type": "client_credentials"}
        )
        if response.status_code != 200:
            raise AdapterError(f"token request failed: {self.brief(response)}")
        data = response.json()
        lifetime = float(data.get("expires_in") or 900)
        self.token = AccessToken(data["access_token"], self.now() + lifetime, lifetime)

    def access_token(self) -> str:
        if self.needs_refresh():
            self.refresh()
        assert self.token is not None
        return self.token.value

    def service_headers(self) -> dict[str, str]:
        return {
            "WM_SVC.NAME": SERVICE_NAME,
            "WM_QOS.CORRELATION_ID": str(uuid.uuid4()),
            "Accept": "application/json",
        }

    def sign(self, headers: dict[str, str]) -> dict[str, str]:
        """Walmart's authentication of one call (it has no request signature to compute)."""
        return {**headers, **self.service_headers(), "WM_SEC.ACCESS_TOKEN": self.access_token()}

    # -- pacing ------------------------------------------------------------------------

    def bucket(self, api: str) -> Bucket:
        if api not in self.buckets:
            per_minute = LIMITS_PER_MINUTE[api]
            self.buckets[api] = Bucket(per_minute / 60, per_minute, per_minute, self.monotonic())
        return self.buckets[api]

    def pace(self, api: str) -> None:
        """Wait for a token of this API's bucket (and for any throttle Walmart announced)."""
        self.sleep(self.blocked_until.get(api, 0.0) - self.monotonic())
        bucket = self.bucket(api)
        now = self.monotonic()
        bucket.tokens = min(bucket.capacity, bucket.tokens + (now - bucket.updated) * bucket.per_second)
        bucket.updated = now
        if bucket.tokens < 1:
            self.sleep((1 - bucket.tokens) / bucket.per_second)
            bucket.tokens, bucket.updated = 1.0, self.monotonic()
        bucket.tokens -= 1

    def throttle_wait(self, response: httpx.Response) -> float:
        """Seconds until `x-next-replenishment-time` (epoch ms); 1 s when it is missing or odd."""
        try:
            wait = int(response.headers["x-next-replenishment-time"]) / 1000 - self.now()
        except (KeyError, ValueError):
            return 1.0
        return min(max(wait, 0.0), MAX_THROTTLE_WAIT)

    def wait_after_throttle(self, api: str, seconds: float) -> None:
        self.blocked_until[api] = self.monotonic() + seconds
        self.sleep(seconds)

    def backoff(self, attempt: int) -> float:
        return float(min(0.25 * 2.0**attempt, 8.0))

    # -- one call ----------------------------------------------------------------------

    def send(self, method: str, path: str, api: str, **kwargs: Any) -> httpx.Response:
        """One HTTP exchange, paced, with 429 and 5xx handling (no authentication)."""
        last = "no answer"
        for attempt in range(MAX_ATTEMPTS):
            self.pace(api)
            try:
                response = self.client.request(method, self.url(path), **kwargs)
            except httpx.TransportError as exc:
                if attempt == MAX_ATTEMPTS - 1:
                    raise AdapterError(f"{method} {path}: {type(exc).__name__}") from None
                self.sleep(self.backoff(attempt))
                continue
            if response.status_code < 500 and response.status_code != 429:
                return response
            last = self.brief(response)
            if response.status_code == 429:
                self.wait_after_throttle(api, self.throttle_wait(response))
            else:
                self.sleep(self.backoff(attempt))
        raise AdapterError(f"{method} {path}: gave up after {MAX_ATTEMPTS} attempts (last: {last})")

    def call(
        self, method: str, path: str, api: str, *, ok: tuple[int, ...] = (200,), **kwargs: Any
    ) -> httpx.Response:
        """An authenticated call; on 401 one new token and one more try."""
        headers = kwargs.pop("headers", {})
        for renewed in (False, True):
            response = self.send(method, path, api, headers=self.sign(headers), **kwargs)
            if response.status_code != 401 or renewed:
                break
            self.refresh()  # expired (or revoked): a new token, the old one is never sent again
        if response.status_code not in ok:
            raise AdapterError(f"{method} {path}: {self.brief(response)}")
        return response

    def brief(self, response: httpx.Response) -> str:
        try:
            data = response.json()
            errors = data.get("error") or data.get("errors", {}).get("error") or [{}]
            return f"{response.status_code} {errors[0].get('code', '')} {errors[0].get('description', '')}"
        except (ValueError, AttributeError, IndexError, TypeError):
            return f"{response.status_code} {response.text[:200]}"

    # -- the Walmart operations ----------------------------------------------------------

    def list_orders(self, since: datetime) -> list[dict[str, Any]]:
        """Every order created since `since`, following `nextCursor` to the last page."""
        params = {"createdStartDate": self.timestamp(since), "limit": str(PAGE_SIZE)}
        response = self.call("GET", "/v3/orders", "getAllOrders", ok=(200, 404), params=params)
        orders: list[dict[str, Any]] = []
        while response.status_code == 200:
            page = response.json()["list"]
            orders += page["elements"]["order"]
            cursor = page["meta"].get("nextCursor")
            if not cursor:
                break
            response = self.next_page(cursor)
        return orders  # 404 CONTENT_NOT_FOUND is Walmart's "no orders", not a failure

    def next_page(self, cursor: str) -> httpx.Response:
        """`nextCursor` is already a query string: append it verbatim, add nothing."""
        return self.call("GET", "/v3/orders" + cursor, "getAllOrders", ok=(200, 404))

    def get_order(self, purchase_order_id: str) -> dict[str, Any]:
        order: dict[str, Any] = self.call("GET", f"/v3/orders/{purchase_order_id}", "getAnOrder").json()[
            "order"
        ]
        return order

    def get_quantity(self, sku: str) -> int:
        response = self.call("GET", "/v3/inventory", "getInventory", params={"sku": sku})
        return int(response.json()["quantity"]["amount"])

    def update_inventory(self, sku: str, amount: int) -> None:
        body = {"sku": sku, "quantity": {"unit": "EACH", "amount": amount}}
        self.call("PUT", "/v3/inventory", "updateInventory", params={"sku": sku}, json=body)

    def acknowledge(self, purchase_order_id: str) -> None:
        self.call("POST", f"/v3/orders/{purchase_order_id}/acknowledge", "acknowledgeOrders")

    def ship(self, order: dict[str, Any]) -> None:
        """Every open line shipped with UPS tracking, ship time now (epoch ms, UTC)."""
        lines = []
        for line in order["orderLines"]["orderLine"]:
            open_units = sum(
                int(status["statusQuantity"]["amount"])
                for status in line["orderLineStatuses"]["orderLineStatus"]
                if status["status"] in ("Created", "Acknowledged")
            )
            if open_units:
                lines.append(self.shipped_line(line["lineNumber"], open_units, order["purchaseOrderId"]))
        body = {"orderShipment": {"orderLines": {"orderLine": lines}}}
        self.call("POST", f"/v3/orders/{order['purchaseOrderId']}/shipping", "shippingUpdates", json=body)

    def shipped_line(self, number: str, units: int, purchase_order_id: str) -> dict[str, Any]:
        tracking = f"1Z999AA1{purchase_order_id[-10:]}"
        status = {
            "status": "Shipped",
            "statusQuantity": {"unitOfMeasurement": "EACH", "amount": str(units)},
            "trackingInfo": {
                "shipDateTime": self.epoch_ms(),
                "carrierName": {"carrier": "UPS"},
                "methodCode": "Standard",
                "trackingNumber": tracking,
                "trackingURL": f"https://www.ups.com/track?tracknum={tracking}",
            },
        }
        return {"lineNumber": number, "orderLineStatuses": {"orderLineStatus": [status]}}

    # -- the job -----------------------------------------------------------------------

    def statuses(self, order: dict[str, Any]) -> set[str]:
        return {
            status["status"]
            for line in order["orderLines"]["orderLine"]
            for status in line["orderLineStatuses"]["orderLineStatus"]
        }

    def since(self) -> datetime:
        return datetime.now(UTC) - timedelta(days=LOOKBACK_DAYS)

    def run_once(self) -> None:
        orders = self.list_orders(self.since())
        if not orders:
            raise AdapterError("no orders in the last 7 days")
        first = self.get_order(orders[0]["purchaseOrderId"])
        sku = first["orderLines"]["orderLine"][0]["item"]["sku"]
        self.check_inventory(sku)
        open_orders = [o for o in orders if self.statuses(o) & {"Created", "Acknowledged"}]
        if open_orders:
            self.fulfil(open_orders[-1]["purchaseOrderId"])

    def check_inventory(self, sku: str) -> None:
        wanted = (self.get_quantity(sku) + 7) % 100
        self.update_inventory(sku, wanted)
        if self.get_quantity(sku) != wanted:
            raise AdapterError(f"inventory of {sku} did not change to {wanted}")

    def fulfil(self, purchase_order_id: str) -> None:
        order = self.get_order(purchase_order_id)
        if "Created" in self.statuses(order):
            self.acknowledge(purchase_order_id)
            order = self.get_order(purchase_order_id)
        self.ship(order)
        listed = {o["purchaseOrderId"]: o for o in self.list_orders(self.since())}
        shipped = listed.get(purchase_order_id)
        if shipped is None or self.statuses(shipped) & {"Created", "Acknowledged"}:
            raise AdapterError(f"order {purchase_order_id} is not shipped in the order list")

    def run(self) -> None:
        deadline = self.monotonic() + self.config.duration
        self.run_once()
        while self.monotonic() < deadline:
            self.sleep(min(POLL_INTERVAL, deadline - self.monotonic()))
            self.run_once()


def main(env: Mapping[str, str] | None = None) -> int:
    try:
        adapter = Adapter(Config.from_env(os.environ if env is None else env))
        with adapter.client:
            adapter.run()
    except AdapterError as exc:
        print(f"walmart adapter: {exc}", file=sys.stderr)
        return 1
    except (httpx.HTTPError, KeyError, ValueError, TypeError) as exc:
        print(f"walmart adapter: unexpected response ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
    print("walmart adapter: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
