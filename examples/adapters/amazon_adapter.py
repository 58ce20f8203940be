"""A reference seller adapter for the Amazon Selling Partner API (SP-API).

It stands for a seller's integration in any language: stdlib + httpx, no clawcheck import.
One pass: exchange the LWA refresh token for an access token, list every order (all pages),
read one order and its items, set the inventory of a SKU and read it back, confirm the
shipment of one unshipped seller-fulfilled order, then list again and check the change.
With CLAWCHECK_DURATION it then keeps polling (orders changed in the last hour, shipping
whatever waits) until the time is up.

What it does right, each in its own small method so a test can break exactly one:
- `refresh` / `needs_refresh`: an access token lives 3600 s; renew it shortly before it
  expires, and at once on the 403 "The access token you provided has expired.", and never
  send the expired token again.
- `sign`: SP-API needs no AWS SigV4 since 2023; the LWA token goes in `x-amz-access-token`
  and the request time in `x-amz-date` (basic ISO 8601, UTC).
- `pace`: a local token bucket per operation with Amazon's published usage plan
  (e.g. getOrders 0.0167 rps, burst 20), updated from `x-amzn-RateLimit-Limit`.
- `wait_after_throttle`: Amazon sends no Retry-After with 429 `QuotaExceeded`; the next
  token arrives 1/rate seconds later, so wait that (at least 1 s), doubled when repeated.
- 5xx: retried with exponential backoff.
- every date-time sent is UTC (`2024-03-15T12:00:00Z`).

Environment: CLAWCHECK_HOSTS (JSON: real host -> local base URL; else CLAWCHECK_BASE_URL for
SP-API and CLAWCHECK_AUTH_URL for LWA; else the real hosts),
CLAWCHECK_ENV (sandbox|production), CLAWCHECK_DURATION (seconds, 0 = one pass), and the
credentials LWA_APP_ID, LWA_CLIENT_SECRET, SP_API_REFRESH_TOKEN, SP_API_SELLER_ID,
SP_API_MARKETPLACE_ID (SP_API_REGION: na or eu, default na).

Run: python examples/adapters/amazon_adapter.py   (exit 0 on success, 1 with one line on failure)
"""

from __future__ import annotations

import json
import os
import sys
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx

LWA_HOST = "api.amazon.com"
SP_API_HOSTS = {
    ("na", "production"): "sellingpartnerapi-na.amazon.com",
    ("na", "sandbox"): "sandbox.sellingpartnerapi-na.amazon.com",
    ("eu", "production"): "sellingpartnerapi-eu.amazon.com",
    ("eu", "sandbox"): "sandbox.sellingpartnerapi-eu.amazon.com",
}
# Amazon's published default usage plans: (requests per second, burst).
USAGE_PLANS = {
    "getOrders": (0.0167, 20.0),
    "getOrder": (0.5, 30.0),
    "getOrderItems": (0.5, 30.0),
    "confirmShipment": (2.0, 10.0),
    "getListingsItem": (5.0, 10.0),
    "patchListingsItem": (5.0, 10.0),
}
EXPIRED_TOKEN = "The access token you provided has expired."
MAX_ATTEMPTS = 6
PAGE_SIZE = 3  # small pages, so that even a handful of orders takes several pages
LOOKBACK_DAYS = 30
POLL_INTERVAL = 1.0  # seconds between rounds when CLAWCHECK_DURATION asks for more than one
MIN_THROTTLE_WAIT = 1.0  # Amazon: "retry throttled requests with backoff"


class AdapterError(Exception):
    """A failure worth one line on stderr and exit status 1."""


@dataclass
class AccessToken:
    value: str
    expires_at: datetime
    lifetime: float


@dataclass
class Bucket:
    """The client-side mirror of one operation's usage plan."""

    rate: float
    burst: float
    tokens: float
    updated: float
    throttled_until: float = 0.0
    strikes: int = 0


@dataclass
class Config:
    hosts: dict[str, str]
    base_url: str
    environment: str
    duration: float
    client_id: str
    client_secret: str
    refresh_token: str
    seller_id: str
    marketplace_id: str
    region: str = "na"
    auth_url: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Config:
        def need(name: str) -> str:
            value = env.get(name, "")
            if not value:
                raise AdapterError(f"missing environment variable {name}")
            return value

        try:
            hosts = json.loads(env.get("CLAWCHECK_HOSTS") or "{}")
        except ValueError as exc:
            raise AdapterError(f"CLAWCHECK_HOSTS is not JSON: {exc}") from None
        return cls(
            hosts={str(k): str(v).rstrip("/") for k, v in dict(hosts).items()},
            base_url=env.get("CLAWCHECK_BASE_URL", "").rstrip("/"),
            environment=env.get("CLAWCHECK_ENV", "sandbox"),
            duration=float(env.get("CLAWCHECK_DURATION") or 0),
            client_id=need("LWA_APP_ID"),
            client_secret=need("LWA_CLIENT_SECRET"),
            refresh_token=need("SP_API_REFRESH_TOKEN"),
            seller_id=need("SP_API_SELLER_ID"),
            marketplace_id=need("SP_API_MARKETPLACE_ID"),
            region=env.get("SP_API_REGION", "na"),
            auth_url=env.get("CLAWCHECK_AUTH_URL", "").rstrip("/"),
        )


@dataclass
class Adapter:
    config: Config
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30.0))
    token: AccessToken | None = None
    buckets: dict[str, Bucket] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    # -- time ----------------------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.now(UTC)

    def timestamp(self) -> str:
        """x-amz-date: basic ISO 8601 in UTC."""
        return self.now().strftime("%Y%m%dT%H%M%SZ")

    def iso(self, moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    # -- where requests go ---------------------------------------------------------------

    def host(self) -> str:
        """The real SP-API host for the configured region and environment."""
        key = (self.config.region, self.config.environment)
        if key not in SP_API_HOSTS:
            raise AdapterError(f"no SP-API host for region/environment {key}")
        return SP_API_HOSTS[key]

    def url(self, host: str, path: str) -> str:
        """The real host's local stand-in when the harness maps one, else the real host."""
        base = self.config.hosts.get(host)
        if not base and host == LWA_HOST:
            base = self.config.auth_url
        if not base and host != LWA_HOST:
            base = self.config.base_url
        return (base or f"https://{host}") + path

    # -- authentication ------------------------------------------------------------------

    def needs_refresh(self) -> bool:
        if self.token is None:
            return True
        margin = min(60.0, self.token.lifetime / 5)  # a short-lived token gets a short margin
        return self.now() >= self.token.expires_at - timedelta(seconds=margin)

    def refresh(self) -> None:
        """LWA: refresh token -> access token. The refresh token itself does not change."""
        self.token = None  # whatever happens next, the old token is never sent again
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self.config.refresh_token,
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
        }
        for attempt in range(MAX_ATTEMPTS):
            response = self.client.post(self.url(LWA_HOST, "/auth/o2/token"), data=form)
            if response.status_code == 200:
                body = response.json()
                lifetime = float(body.get("expires_in", 3600))
                self.token = AccessToken(
                    body["access_token"], self.now() + timedelta(seconds=lifetime), lifetime
                )
                return
            if response.status_code >= 500 or response.status_code == 429:
                self.sleep(self.backoff(attempt))
                continue
            raise AdapterError(f"LWA token exchange failed: {response.status_code} {self.brief(response)}")
        raise AdapterError("LWA token exchange kept failing")

    def access_token(self) -> str:
        if self.needs_refresh():
            self.refresh()
        assert self.token is not None
        return self.token.value

    def sign(self, headers: dict[str, str]) -> dict[str, str]:
        """SP-API authentication: the LWA token and the request time; no SigV4 since 2023."""
        headers["x-amz-access-token"] = self.access_token()
        headers["x-amz-date"] = self.timestamp()
        return headers

    # -- rate limits ---------------------------------------------------------------------

    def bucket(self, operation: str) -> Bucket:
        if operation not in self.buckets:
            rate, burst = USAGE_PLANS[operation]
            self.buckets[operation] = Bucket(rate, burst, burst, self.monotonic())
        return self.buckets[operation]

    def pace(self, operation: str) -> None:
        """Wait until the operation's bucket has a token (and any throttle wait is over)."""
        bucket = self.bucket(operation)
        now = self.monotonic()
        bucket.tokens = min(bucket.burst, bucket.tokens + (now - bucket.updated) * bucket.rate)
        bucket.updated = now
        wait = max(0.0, bucket.throttled_until - now)
        if bucket.tokens < 1.0:
            wait = max(wait, (1.0 - bucket.tokens) / bucket.rate)
        if wait > 0:
            self.sleep(wait)
            bucket.tokens = min(bucket.burst, bucket.tokens + wait * bucket.rate)
            bucket.updated = self.monotonic()
        bucket.tokens -= 1.0

    def learn_rate(self, operation: str, response: httpx.Response) -> None:
        header = response.headers.get("x-amzn-RateLimit-Limit")
        try:
            rate = float(header) if header else 0.0
        except ValueError:
            return
        if rate > 0:
            self.bucket(operation).rate = rate

    def wait_after_throttle(self, operation: str, seconds: float) -> None:
        """After a 429 nothing may go to this operation for at least `seconds`."""
        bucket = self.bucket(operation)
        bucket.tokens = 0.0
        bucket.updated = self.monotonic()
        bucket.throttled_until = bucket.updated + seconds
        self.sleep(seconds)

    def throttle_wait(self, operation: str) -> float:
        """No Retry-After from Amazon: a token's refill time (at least 1 s), doubled on repeats."""
        bucket = self.bucket(operation)
        bucket.strikes += 1
        return max(MIN_THROTTLE_WAIT, 1.0 / bucket.rate) * 2 ** (bucket.strikes - 1)

    def backoff(self, attempt: int) -> float:
        return min(30.0, 0.5 * 2**attempt)

    # -- one SP-API call -----------------------------------------------------------------

    def call(
        self,
        operation: str,
        method: str,
        path: str,
        params: list[tuple[str, str]] | None = None,
        body: Any = None,
    ) -> httpx.Response:
        url = self.url(self.host(), path)
        refreshed = False
        for attempt in range(MAX_ATTEMPTS):
            self.pace(operation)
            headers = self.sign({"accept": "application/json"})
            if body is not None:
                headers["content-type"] = "application/json"
            content = json.dumps(body).encode() if body is not None else None
            response = self.client.request(method, url, params=params, headers=headers, content=content)
            self.learn_rate(operation, response)
            if response.status_code == 403 and self.is_expired(response) and not refreshed:
                self.refresh()
                refreshed = True
                continue
            if response.status_code == 429:
                self.wait_after_throttle(operation, self.throttle_wait(operation))
                continue
            if response.status_code >= 500:
                self.sleep(self.backoff(attempt))
                continue
            self.bucket(operation).strikes = 0
            if response.status_code >= 400:
                raise AdapterError(f"{operation} failed: {response.status_code} {self.brief(response)}")
            return response
        raise AdapterError(f"{operation} kept failing after {MAX_ATTEMPTS} attempts")

    def is_expired(self, response: httpx.Response) -> bool:
        try:
            errors = response.json().get("errors") or []
        except ValueError:
            return False
        return any(isinstance(e, dict) and e.get("details") == EXPIRED_TOKEN for e in errors)

    def brief(self, response: httpx.Response) -> str:
        return " ".join(response.text.split())[:200]

    # -- the operations ------------------------------------------------------------------

    def list_orders(
        self, *, created_after: datetime | None = None, updated_after: datetime | None = None
    ) -> list[dict[str, Any]]:
        """getOrders through every page; the NextToken is passed back exactly as received."""
        orders: list[dict[str, Any]] = []
        params = [("MarketplaceIds", self.config.marketplace_id), ("MaxResultsPerPage", str(PAGE_SIZE))]
        if created_after is not None:
            params.append(("CreatedAfter", self.iso(created_after)))
        if updated_after is not None:
            params.append(("LastUpdatedAfter", self.iso(updated_after)))
        while True:
            payload = self.call("getOrders", "GET", "/orders/v0/orders", params).json()["payload"]
            orders.extend(payload.get("Orders", []))
            next_token = payload.get("NextToken")
            if not next_token:
                return orders
            params = [("MarketplaceIds", self.config.marketplace_id), ("NextToken", next_token)]

    def get_order(self, order_id: str) -> dict[str, Any]:
        path = f"/orders/v0/orders/{quote(order_id, safe='')}"
        result: dict[str, Any] = self.call("getOrder", "GET", path).json()["payload"]
        return result

    def get_order_items(self, order_id: str) -> list[dict[str, Any]]:
        path = f"/orders/v0/orders/{quote(order_id, safe='')}/orderItems"
        items: list[dict[str, Any]] = []
        params: list[tuple[str, str]] = []
        while True:
            payload = self.call("getOrderItems", "GET", path, params).json()["payload"]
            items.extend(payload.get("OrderItems", []))
            if not payload.get("NextToken"):
                return items
            params = [("NextToken", payload["NextToken"])]

    def listing_path(self, sku: str) -> str:
        return f"/listings/2021-08-01/items/{quote(self.config.seller_id, safe='')}/{quote(sku, safe='')}"

    def get_quantity(self, sku: str) -> int | None:
        params = [("marketplaceIds", self.config.marketplace_id), ("includedData", "fulfillmentAvailability")]
        item = self.call("getListingsItem", "GET", self.listing_path(sku), params).json()
        for availability in item.get("fulfillmentAvailability", []):
            if availability.get("fulfillmentChannelCode") == "DEFAULT":
                return int(availability.get("quantity", 0))
        return None

    def update_inventory(self, sku: str, quantity: int) -> None:
        body = {
            "productType": "PRODUCT",
            "patches": [
                {
                    "op": "replace",
                    "path": "/attributes/fulfillment_availability",
                    "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": quantity}],
                }
            ],
        }
        params = [("marketplaceIds", self.config.marketplace_id)]
        result = self.call("patchListingsItem", "PATCH", self.listing_path(sku), params, body).json()
        if result.get("status") != "ACCEPTED":
            raise AdapterError(f"inventory update of {sku} not accepted: {result.get('issues')}")

    def confirm_shipment(self, order_id: str, items: list[dict[str, Any]]) -> None:
        body = {
            "marketplaceId": self.config.marketplace_id,
            "packageDetail": {
                "packageReferenceId": "1",
                "carrierCode": "UPS",
                "shippingMethod": "UPS Ground",
                "trackingNumber": f"1Z999AA1{zlib.crc32(order_id.encode()):010d}",
                "shipDate": self.iso(self.now()),
                "orderItems": [
                    {"orderItemId": item["OrderItemId"], "quantity": item["QuantityOrdered"]}
                    for item in items
                ],
            },
        }
        path = f"/orders/v0/orders/{quote(order_id, safe='')}/shipmentConfirmation"
        self.call("confirmShipment", "POST", path, body=body)

    # -- the workflow --------------------------------------------------------------------

    def run_once(self) -> None:
        """The full round: list, read, inventory, ship one order, list again and verify."""
        since = self.now() - timedelta(days=LOOKBACK_DAYS)
        orders = self.list_orders(created_after=since)
        if not orders:
            raise AdapterError("getOrders returned no orders")
        first = self.get_order(orders[0]["AmazonOrderId"])
        skus = [item.get("SellerSKU") for item in self.get_order_items(first["AmazonOrderId"])]
        sku = next((s for s in skus if s), None)
        if sku:
            self.check_inventory(sku)
        to_ship = [o for o in orders if self.shippable(o)]
        if to_ship:
            self.ship(to_ship[0]["AmazonOrderId"])
            self.verify_shipped(to_ship[0]["AmazonOrderId"], since)
        self.log.append(f"pass ok: {len(orders)} orders")

    def poll(self) -> None:
        """Later rounds: orders changed in the last hour; ship whatever waits for shipment."""
        changed = self.list_orders(updated_after=self.now() - timedelta(hours=1))
        for order in changed:
            if self.shippable(order):
                self.ship(order["AmazonOrderId"])
        self.log.append(f"poll ok: {len(changed)} changed orders")

    def shippable(self, order: dict[str, Any]) -> bool:
        status_ok = order.get("OrderStatus") in ("Unshipped", "PartiallyShipped")
        return status_ok and order.get("FulfillmentChannel") == "MFN"

    def check_inventory(self, sku: str) -> None:
        before = self.get_quantity(sku) or 0
        wanted = before + 7
        self.update_inventory(sku, wanted)
        if self.get_quantity(sku) != wanted:
            raise AdapterError(f"inventory of {sku} did not change to {wanted}")

    def ship(self, order_id: str) -> None:
        waiting = [
            {**item, "QuantityOrdered": item["QuantityOrdered"] - item.get("QuantityShipped", 0)}
            for item in self.get_order_items(order_id)
            if item["QuantityOrdered"] > item.get("QuantityShipped", 0)
        ]
        if waiting:
            self.confirm_shipment(order_id, waiting)

    def verify_shipped(self, order_id: str, since: datetime) -> None:
        after = {o["AmazonOrderId"]: o for o in self.list_orders(created_after=since)}
        if after.get(order_id, {}).get("OrderStatus") != "Shipped":
            raise AdapterError(f"order {order_id} is not Shipped after confirmShipment")

    def run(self) -> None:
        deadline = self.monotonic() + self.config.duration
        self.run_once()
        while self.monotonic() < deadline:
            self.sleep(min(POLL_INTERVAL, deadline - self.monotonic()))
            self.poll()


def main(env: Mapping[str, str] | None = None) -> int:
    try:
        adapter = Adapter(Config.from_env(os.environ if env is None else env))
        try:
            adapter.run()
        finally:
            adapter.client.close()
    except (AdapterError, httpx.HTTPError, KeyError, ValueError) as exc:
        print(f"amazon adapter: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
