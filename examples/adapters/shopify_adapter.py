"""A reference Shopify Admin REST API adapter: what a correct seller integration does.

Run it against clawcheck's Shopify mock (`python examples/adapters/shopify_adapter.py`)
with the environment the harness gives it:

    CLAWCHECK_BASE_URL       the local URL of the primary store
    CLAWCHECK_HOSTS          JSON: real host name -> local base URL
    CLAWCHECK_ENV            sandbox | production (Shopify serves both from {shop}.myshopify.com)
    CLAWCHECK_DURATION       seconds to keep working (default 0: one pass)
    SHOPIFY_SHOP             e.g. clawcheck-dev.myshopify.com
    SHOPIFY_API_VERSION      e.g. 2024-10
    SHOPIFY_CLIENT_ID / SHOPIFY_CLIENT_SECRET
    SHOPIFY_ACCESS_TOKEN / SHOPIFY_REFRESH_TOKEN / SHOPIFY_ACCESS_EXPIRES_AT (Unix seconds)

One pass: list every order (following the `Link` header), read one, set the stock of one
SKU, fulfil one open order through its fulfillment order, list again and check the change.
Each behaviour is one small method so that a test can break exactly one of them.

Standard library and httpx only: it stands for an adapter written in any language.
Exit status 0 on success; 1 with a one-line message on failure.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

BUCKET_SIZE = 40  # Shopify's leaky bucket per app and store
LEAK_PER_SECOND = 2.0
HEADROOM = 4  # requests kept free in the bucket, for other workers of the same app
MAX_ATTEMPTS = 5
REFRESH_MARGIN = 60.0  # seconds before expiry to refresh (a quarter of the lifetime if shorter)


class AdapterError(Exception):
    """The adapter could not do its job; the message is the one line it prints."""


class Adapter:
    def __init__(self, env: Mapping[str, str]) -> None:
        try:
            self.shop = env["SHOPIFY_SHOP"]
            self.client_id = env["SHOPIFY_CLIENT_ID"]
            self.client_secret = env["SHOPIFY_CLIENT_SECRET"]
            self.token = env["SHOPIFY_ACCESS_TOKEN"]
            self.refresh_token = env["SHOPIFY_REFRESH_TOKEN"]
        except KeyError as missing:
            raise AdapterError(f"missing environment variable {missing}") from None
        self.version = env.get("SHOPIFY_API_VERSION", "2024-10")
        self.environment = env.get("CLAWCHECK_ENV", "sandbox")
        self.duration = float(env.get("CLAWCHECK_DURATION") or 0)
        self.hosts: dict[str, str] = json.loads(env.get("CLAWCHECK_HOSTS") or "{}")
        self.base_url = env.get("CLAWCHECK_BASE_URL", "")
        self.expires_at = float(env.get("SHOPIFY_ACCESS_EXPIRES_AT") or "inf")
        self.lifetime = 3600.0  # of an expiring offline token, until a refresh tells us
        self.http = httpx.Client(timeout=10.0)
        self.level: dict[str, tuple[float, float]] = {}  # shop -> (bucket level, monotonic time)

    # -- behaviours (each one overridable) ------------------------------------------------

    def now(self) -> float:
        """True Unix time (UTC)."""
        return time.time()

    def timestamp(self, at: float) -> str:
        """An ISO 8601 date-time in UTC, as the API's date filters take it."""
        return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

    def host(self) -> str:
        """The store's base URL: Shopify has one host per store, in every environment."""
        return self.hosts.get(self.shop) or self.base_url or f"https://{self.shop}"

    def local(self, url: str) -> str:
        """A URL the API gave us (a `Link`), pointed at the local listener of its real host."""
        parts = urlsplit(url)
        mapped = self.hosts.get(parts.hostname or "")
        if not mapped:
            return url
        base = urlsplit(mapped)
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))

    def sign(self, headers: dict[str, str]) -> dict[str, str]:
        """Shopify does not sign Admin API requests: the access token authenticates them."""
        return {**headers, "X-Shopify-Access-Token": self.token}

    def pace(self) -> None:
        """Stay inside the store's leaky bucket (40 deep, leaking 2 per second)."""
        level = self._level(time.monotonic())
        if level + 1 > BUCKET_SIZE - HEADROOM:
            time.sleep((level + 1 - (BUCKET_SIZE - HEADROOM)) / LEAK_PER_SECOND)
        now = time.monotonic()
        self.level[self.shop] = (self._level(now) + 1, now)

    def wait_after_throttle(self, seconds: float) -> None:
        """After a 429: send nothing more to this store for at least the advertised wait."""
        time.sleep(seconds)

    def needs_refresh(self) -> bool:
        margin = min(REFRESH_MARGIN, self.lifetime / 4)
        return self.now() >= self.expires_at - margin

    def refresh(self) -> None:
        """Exchange the refresh token (single use: keep the new one) for a new access token."""
        response = self._send(
            "POST",
            f"{self.host()}/admin/oauth/access_token",
            data={
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "grant_type": "refresh_token",
                "refresh_token": self.refresh_token,
            },
            auth=False,
        )
        if response.status_code != 200:
            raise AdapterError(f"token refresh failed: HTTP {response.status_code} {response.text[:120]}")
        body = response.json()
        self.token = body["access_token"]
        self.refresh_token = body.get("refresh_token", self.refresh_token)
        if "expires_in" in body:
            self.lifetime = float(body["expires_in"])
            self.expires_at = self.now() + self.lifetime

    def backoff(self, attempt: int) -> float:
        return min(8.0, 0.25 * 2**attempt)

    # -- HTTP with auth, pacing, throttling and retries -----------------------------------

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """An Admin API call; `path` is relative to /admin/api/{version}, or a full `Link` URL."""
        url = path if "://" in path else f"{self.host()}/admin/api/{self.version}{path}"
        return self._send(method, self.local(url), **kwargs)

    def _send(self, method: str, url: str, *, auth: bool = True, **kwargs: Any) -> httpx.Response:
        refreshed, last = False, ""
        for attempt in range(MAX_ATTEMPTS):
            if auth and self.needs_refresh():
                self.refresh()
            self.pace()
            headers = self.sign({"Accept": "application/json"}) if auth else {"Accept": "application/json"}
            try:
                response = self.http.request(method, url, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                time.sleep(self.backoff(attempt))
                last = f"{type(exc).__name__}"
                continue
            if response.status_code == 429:
                self.wait_after_throttle(float(response.headers.get("Retry-After") or 2.0))
                last = "HTTP 429"
                continue
            if response.status_code == 401 and auth and not refreshed:
                # Expired (or revoked) before we expected: refresh once, never resend the old token.
                self.refresh()
                refreshed, last = True, "HTTP 401"
                continue
            self._learn_level(response)  # a 429's "40/40" is covered by its Retry-After
            if response.status_code >= 500:
                time.sleep(self.backoff(attempt))
                last = f"HTTP {response.status_code}"
                continue
            return response
        raise AdapterError(f"{method} {urlsplit(url).path} failed after {MAX_ATTEMPTS} attempts ({last})")

    def _level(self, now: float) -> float:
        level, at = self.level.get(self.shop, (0.0, now))
        return max(0.0, level - (now - at) * LEAK_PER_SECOND)

    def _learn_level(self, response: httpx.Response) -> None:
        """The store tells how full its bucket is: trust it over our own estimate."""
        used, _, size = (response.headers.get("X-Shopify-Shop-Api-Call-Limit") or "").partition("/")
        if used.isdigit() and size.isdigit():
            self.level[self.shop] = (float(used), time.monotonic())

    # -- the work -------------------------------------------------------------------------

    def ok(self, response: httpx.Response, what: str) -> Any:
        if response.status_code >= 400:
            raise AdapterError(f"{what}: HTTP {response.status_code} {response.text[:160]}")
        return response.json()

    def list_orders(self) -> list[dict[str, Any]]:
        """Every order of the last 30 days, through every page of the `Link` header."""
        since = self.timestamp(self.now() - 30 * 86400)
        params: dict[str, Any] | None = {"status": "any", "limit": 50, "created_at_min": since}
        url = "/orders.json"
        orders: list[dict[str, Any]] = []
        while url:
            response = self.api("GET", url, params=params)
            orders += self.ok(response, "list orders")["orders"]
            url = next_link(response.headers.get("Link"))
            params = None  # the next URL carries page_info, which must travel alone
        count = self.ok(
            self.api("GET", "/orders/count.json", params={"status": "any", "created_at_min": since}), "count"
        )
        if len({o["id"] for o in orders}) != count["count"]:
            raise AdapterError(
                f"pagination lost orders: listed {len(orders)}, the store counts {count['count']}"
            )
        return orders

    def read_order(self, order_id: int) -> dict[str, Any]:
        return self.ok(self.api("GET", f"/orders/{order_id}.json"), f"read order {order_id}")["order"]

    def update_inventory(self) -> None:
        """Set the stock of the first tracked SKU at the first location, and read it back."""
        location = self.ok(self.api("GET", "/locations.json"), "locations")["locations"][0]["id"]
        products = self.ok(self.api("GET", "/products.json", params={"limit": 50}), "products")["products"]
        variant = next(v for p in products for v in p["variants"] if v["inventory_management"] == "shopify")
        item = variant["inventory_item_id"]
        levels_params = {"inventory_item_ids": item, "location_ids": location}
        levels = self.ok(self.api("GET", "/inventory_levels.json", params=levels_params), "inventory levels")
        current = next((lv["available"] for lv in levels["inventory_levels"]), 0) or 0
        target = current + 1
        body = {"location_id": location, "inventory_item_id": item, "available": target}
        self.ok(self.api("POST", "/inventory_levels/set.json", json=body), f"set stock of {variant['sku']}")
        again = self.ok(self.api("GET", "/inventory_levels.json", params=levels_params), "inventory levels")
        if [lv["available"] for lv in again["inventory_levels"]] != [target]:
            raise AdapterError(f"stock of {variant['sku']} did not become {target}")

    def fulfil(self, order: dict[str, Any]) -> None:
        """Fulfil what is left of `order` through its open fulfillment orders, with tracking."""
        path = f"/orders/{order['id']}/fulfillment_orders.json"
        fulfillment_orders = self.ok(self.api("GET", path), "fulfillment orders")["fulfillment_orders"]
        groups = [
            {
                "fulfillment_order_id": fo["id"],
                "fulfillment_order_line_items": [
                    {"id": line["id"], "quantity": line["fulfillable_quantity"]}
                    for line in fo["line_items"]
                    if line["fulfillable_quantity"] > 0
                ],
            }
            for fo in fulfillment_orders
            if fo["status"] in ("open", "in_progress")
        ]
        if not groups:
            raise AdapterError(f"order {order['name']} has no open fulfillment order")
        tracking = {"company": "UPS", "number": f"1ZCLAW{order['order_number']:010d}"}
        body = {"fulfillment": {"line_items_by_fulfillment_order": groups, "tracking_info": tracking}}
        response = self.api("POST", "/fulfillments.json", json=body)
        # A retried POST may meet its own first success: the read-back below decides.
        if response.status_code not in (201, 422):
            self.ok(response, f"fulfil {order['name']}")

    def run_once(self) -> str:
        orders = self.list_orders()
        if not orders:
            raise AdapterError("the store has no orders")
        self.read_order(orders[0]["id"])
        self.update_inventory()
        todo = [o for o in orders if fulfillable(o)]
        if not todo:
            return f"{len(orders)} orders, nothing left to fulfil"
        self.fulfil(todo[0])
        after = {o["id"]: o for o in self.list_orders()}
        status = after[todo[0]["id"]]["fulfillment_status"]
        if status != "fulfilled":
            raise AdapterError(f"order {todo[0]['name']} is {status!r} after fulfilment, not 'fulfilled'")
        return f"{len(orders)} orders, fulfilled {todo[0]['name']}"

    def run(self) -> str:
        deadline = time.monotonic() + self.duration
        passes, summary = 0, ""
        try:
            while True:
                summary = self.run_once()
                passes += 1
                if time.monotonic() >= deadline:
                    return f"{passes} pass(es): {summary}"
        finally:
            self.http.close()


def next_link(header: str | None) -> str | None:
    """The `rel="next"` URL of a `Link` header, used exactly as given (never re-encoded)."""
    for part in (header or "").split(","):
        url, _, rel = part.partition(";")
        if rel.strip() == 'rel="next"':
            return url.strip().strip("<>")
    return None


def fulfillable(order: dict[str, Any]) -> bool:
    return (
        order["fulfillment_status"] != "fulfilled"
        and order["financial_status"] == "paid"
        and order["cancelled_at"] is None
        and order["closed_at"] is None
    )


def main(env: Mapping[str, str] | None = None) -> int:
    try:
        adapter = Adapter(os.environ if env is None else env)
        print(f"shopify adapter: ok, {adapter.run()}")
    except AdapterError as failure:
        print(f"shopify adapter: {failure}", file=sys.stderr)
        return 1
    except (httpx.HTTPError, ValueError, KeyError, StopIteration) as failure:
        print(f"shopify adapter: unexpected {type(failure).__name__}: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
