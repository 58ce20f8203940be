"""A reference seller adapter for the WooCommerce REST API v3 (`/wp-json/wc/v3`).

It stands for a seller's integration in any language: stdlib + httpx, no clawcheck import.
One pass: list every order changed in the last 30 days (all pages), read one order, set the
stock of a SKU and read it back, fulfil one `processing` order (a customer note with the
tracking number, then status `completed` with the tracking in `meta_data`), list again and
check the change.

What it does right, each in its own small method so a test can break exactly one:
- `authorize`: over HTTPS, HTTP Basic with the consumer key and secret; over plain HTTP
  (WooCommerce ignores Basic there), OAuth 1.0a one-legged: `sign` builds WooCommerce's string
  to sign (`METHOD&rawurlencode(url)&` + the sorted, RFC 3986-encoded query pairs) and signs it
  with HMAC-SHA256 keyed by `consumer_secret + "&"`; a fresh `nonce` and `timestamp` each time.
- `pace`: a local token bucket per store key, a little under the store's limit (25 requests
  per 10 s).
- `wait_after_throttle`: on 429, sleep the advertised `Retry-After` before the next request.
- 5xx: retried with exponential backoff; the OAuth parameters are made anew for every attempt.
- `now` / `timestamp` / `iso`: true UTC; date filters are sent with `Z` and without
  `dates_are_gmt` (WooCommerce reads an offset-less value as store-local time), and order dates
  are read from the `*_gmt` fields, never the store-local ones.
- pages: `page` = 1 .. `X-WP-TotalPages`, each request signed anew (the `Link` header repeats
  the old OAuth parameters, so following it verbatim fails).

Environment: CLAWCHECK_BASE_URL, CLAWCHECK_HOSTS (JSON: real host -> local base URL),
CLAWCHECK_ENV (sandbox|production), CLAWCHECK_DURATION (seconds, 0 = one pass), and the
credentials WOOCOMMERCE_STORE_URL, WOOCOMMERCE_CONSUMER_KEY, WOOCOMMERCE_CONSUMER_SECRET.

Run: python examples/adapters/woocommerce_adapter.py   (exit 0 on success, 1 with one line on failure)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

API = "/wp-json/wc/v3"
# The store's sites: its staging copy is the sandbox.
STORE_HOSTS = {"sandbox": "staging.shop.clawcheck.test", "production": "shop.clawcheck.test"}
RATE = 2.0  # requests per second we allow ourselves (the store allows 25 per 10 s)
BURST = 20.0
MAX_ATTEMPTS = 6
PAGE_SIZE = 5  # small pages, so that even a dozen orders takes several
LOOKBACK_DAYS = 30
STOCK_SKU = "CC-TEA-SET6"
POLL_INTERVAL = 1.0


class AdapterError(Exception):
    """A failure worth one line on stderr and exit status 1."""


class Adapter:
    def __init__(self, env: Mapping[str, str] | None = None, client: httpx.Client | None = None) -> None:
        self.env = dict(os.environ if env is None else env)
        self.environment = self.env.get("CLAWCHECK_ENV", "sandbox")
        self.key = self._required("WOOCOMMERCE_CONSUMER_KEY")
        self.secret = self._required("WOOCOMMERCE_CONSUMER_SECRET")
        self.hosts: dict[str, str] = json.loads(self.env.get("CLAWCHECK_HOSTS") or "{}")
        self.duration = float(self.env.get("CLAWCHECK_DURATION") or 0)
        self.client = client or httpx.Client(timeout=30.0)
        self.tokens = BURST
        self.last_refill = time.monotonic()

    def __enter__(self) -> Adapter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def _required(self, name: str) -> str:
        value = self.env.get(name, "")
        if not value:
            raise AdapterError(f"{name} is not set")
        return value

    # -- time (always UTC) ----------------------------------------------------------------

    def now(self) -> float:
        return time.time()

    def timestamp(self) -> str:
        return str(int(self.now()))

    def iso(self, moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def nonce(self) -> str:
        return secrets.token_hex(16)

    # -- where ----------------------------------------------------------------------------

    def host(self) -> str:
        """The store's real host for the configured environment."""
        configured = urlsplit(self.env.get("WOOCOMMERCE_STORE_URL", "")).hostname
        return configured or STORE_HOSTS[self.environment]

    def base_url(self) -> str:
        """Where that host is reachable: the harness's local listener, else the real store."""
        host = self.host()
        return (self.hosts.get(host) or self.env.get("CLAWCHECK_BASE_URL") or f"https://{host}").rstrip("/")

    # -- authentication -------------------------------------------------------------------

    def authorize(
        self, method: str, url: str, query: list[tuple[str, str]]
    ) -> tuple[list[tuple[str, str]], dict[str, str]]:
        """Basic over HTTPS; OAuth 1.0a query parameters over plain HTTP."""
        if url.startswith("https://"):
            token = base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
            return query, {"Authorization": f"Basic {token}"}
        oauth = [
            ("oauth_consumer_key", self.key),
            ("oauth_timestamp", self.timestamp()),
            ("oauth_nonce", self.nonce()),
            ("oauth_signature_method", "HMAC-SHA256"),
        ]
        pairs = query + oauth
        return [*pairs, ("oauth_signature", self.sign(method, url, pairs))], {}

    def sign(self, method: str, url: str, pairs: list[tuple[str, str]]) -> str:
        """WooCommerce's OAuth 1.0a signature (class-wc-rest-authentication.php)."""

        def encode(text: str) -> str:
            return quote(text, safe="")  # PHP rawurlencode

        ordered = sorted(dict(pairs).items())  # one value per name, as PHP's $_GET keeps the last
        joined = "%26".join(encode(f"{encode(k)}={encode(v)}") for k, v in ordered)
        text = f"{method.upper()}&{encode(url)}&{joined}"
        digest = hmac.new(f"{self.secret}&".encode(), text.encode(), hashlib.sha256).digest()
        return base64.b64encode(digest).decode()

    # -- pacing and retries ---------------------------------------------------------------

    def pace(self) -> None:
        """Take one token from the local bucket, sleeping until one is there."""
        now = time.monotonic()
        self.tokens = min(BURST, self.tokens + (now - self.last_refill) * RATE)
        self.last_refill = now
        if self.tokens < 1.0:
            time.sleep((1.0 - self.tokens) / RATE)
            self.tokens, self.last_refill = 1.0, time.monotonic()
        self.tokens -= 1.0

    def wait_after_throttle(self, seconds: float) -> None:
        time.sleep(seconds)
        self.tokens = 0.0  # the store says we are out: start the bucket empty

    def backoff(self, attempt: int) -> None:
        time.sleep(min(0.25 * 2**attempt, 4.0))

    def request(
        self, method: str, path: str, query: list[tuple[str, str]] | None = None, body: Any = None
    ) -> httpx.Response:
        url = self.base_url() + API + path
        for attempt in range(MAX_ATTEMPTS):
            self.pace()
            params, headers = self.authorize(method, url, list(query or []))
            response = self.client.request(method, url, params=tuple(params), headers=headers, json=body)
            if response.status_code == 429:
                self.wait_after_throttle(float(response.headers.get("Retry-After") or 1))
                continue
            if response.status_code >= 500:
                self.backoff(attempt)
                continue
            if response.status_code >= 400:
                raise AdapterError(f"{method} {path}: {response.status_code} {_describe(response)}")
            return response
        raise AdapterError(f"{method} {path}: gave up after {MAX_ATTEMPTS} attempts")

    # -- the work -------------------------------------------------------------------------

    def list_orders(self, **filters: str) -> list[dict[str, Any]]:
        """Every order changed in the last LOOKBACK_DAYS, page by page."""
        since = datetime.fromtimestamp(self.now(), UTC) - timedelta(days=LOOKBACK_DAYS)
        query = [("per_page", str(PAGE_SIZE)), ("modified_after", self.iso(since)), *filters.items()]
        orders: list[dict[str, Any]] = []
        page, pages, total = 1, 1, 0
        while page <= pages:
            response = self.request("GET", "/orders", [*query, ("page", str(page))])
            pages = int(response.headers.get("X-WP-TotalPages") or 0)
            total = int(response.headers.get("X-WP-Total") or 0)
            orders.extend(response.json())
            page += 1
        ids = [o["id"] for o in orders]
        if len(ids) != total or len(set(ids)) != len(ids):
            raise AdapterError(
                f"pagination: X-WP-Total says {total}, got {len(ids)} orders ({len(set(ids))} distinct)"
            )
        return orders

    def read_order(self, order_id: int) -> dict[str, Any]:
        order: dict[str, Any] = self.request("GET", f"/orders/{order_id}").json()
        created = datetime.fromisoformat(order["date_created_gmt"]).replace(tzinfo=UTC)  # the GMT field
        if created.timestamp() > self.now() + 60:
            raise AdapterError(f"order {order_id} was created in the future ({order['date_created_gmt']}Z)")
        return order

    def set_stock(self, sku: str, quantity: int) -> None:
        found = self.request("GET", "/products", [("sku", sku)]).json()
        if not found:
            raise AdapterError(f"no product with SKU {sku}")
        product_id = found[0]["id"]
        # stock_quantity is only stored while the product manages its stock.
        self.request(
            "PUT", f"/products/{product_id}", body={"manage_stock": True, "stock_quantity": quantity}
        )
        product = self.request("GET", f"/products/{product_id}").json()
        if product["stock_quantity"] != quantity:
            raise AdapterError(f"stock of {sku} reads {product['stock_quantity']} after setting {quantity}")

    def fulfil(self, order: Mapping[str, Any], carrier: str, tracking: str) -> None:
        note = f"Shipped with {carrier}, tracking number {tracking}."
        self.request("POST", f"/orders/{order['id']}/notes", body={"note": note, "customer_note": True})
        tracking_meta = {"key": "_clawcheck_tracking", "value": {"carrier": carrier, "number": tracking}}
        self.request(
            "PUT", f"/orders/{order['id']}", body={"status": "completed", "meta_data": [tracking_meta]}
        )

    def run_once(self) -> None:
        orders = self.list_orders()
        if not orders:
            raise AdapterError("the store has no orders")
        self.read_order(orders[0]["id"])
        self.set_stock(STOCK_SKU, 11)
        waiting = [o for o in orders if o["status"] == "processing"]
        if not waiting:
            raise AdapterError("no processing order to fulfil")
        target = waiting[-1]
        self.fulfil(target, "DHL Express", f"JD{target['id']:010d}")
        after = {o["id"]: o for o in self.list_orders()}
        if after.get(target["id"], {}).get("status") != "completed":
            raise AdapterError(f"order {target['id']} is not completed after fulfilment")
        still = {o["id"] for o in self.list_orders(status="processing")}
        if target["id"] in still:
            raise AdapterError(f"order {target['id']} is still listed as processing")

    def run(self) -> None:
        deadline = time.monotonic() + self.duration
        self.run_once()
        while time.monotonic() < deadline:
            time.sleep(POLL_INTERVAL)
            orders = self.list_orders()
            if orders:
                self.read_order(orders[0]["id"])


def _describe(response: httpx.Response) -> str:
    try:
        error = response.json()
        return f"{error.get('code')}: {error.get('message')}"
    except ValueError:
        return response.text[:200]


def main() -> int:
    try:
        with Adapter() as adapter:
            adapter.run()
    except (AdapterError, httpx.HTTPError, KeyError, ValueError) as exc:
        print(f"woocommerce adapter: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
