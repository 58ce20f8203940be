"""A reference seller adapter for the TikTok Shop Open API (Partner API, 202309 versions).

It stands for a seller's integration in any language: stdlib + httpx, no clawcheck import.
One pass: find the shop among the authorized shops, list every order (all pages), read one
order, set the stock of a SKU in every warehouse and read it back, ship one package that
awaits shipment (seller shipping, with a tracking number), then list again and check it.

What it does right, each in its own small method so a test can break exactly one:
- `sign`: every Open API call carries `app_key`, `timestamp` (Unix seconds, UTC) and `sign` =
  hex HMAC-SHA256(app_secret, app_secret + path + sorted {key}{value} of the query without
  `sign` and `access_token` + the exact body bytes + app_secret); the access token goes in
  the `x-tts-access-token` header, never in the signature.
- `needs_refresh` / `refresh`: `access_token_expire_in` is an ABSOLUTE Unix time (tokens
  live 7 days); renew shortly before it, and at once on 105002 "Expired credentials", and
  never send the expired token again. Keep the refresh token the refresh returned.
- `pace`: at most `QPS` requests per second per shop (TikTok's limits are per endpoint and
  dynamic, with about 50 QPS as the starting point).
- `wait_after_throttle`: 429 / 36009002 carries no wait hint, so back off exponentially
  from one second before the next request to that shop.
- 5xx and 36009003 "Internal error": retried with exponential backoff, re-stamped and re-signed.
- pagination: `next_page_token` is opaque; it goes back URL-encoded (httpx does that).

Environment: CLAWCHECK_BASE_URL, CLAWCHECK_HOSTS (JSON: real host -> local base URL),
CLAWCHECK_ENV (sandbox|production), CLAWCHECK_DURATION (seconds, 0 = one pass), and the
credentials TIKTOK_APP_KEY, TIKTOK_APP_SECRET, TIKTOK_ACCESS_TOKEN (+ _EXPIRE_IN),
TIKTOK_REFRESH_TOKEN, TIKTOK_SHOP_CIPHER, TIKTOK_SHIPPING_PROVIDER_ID, optionally
TIKTOK_AUTH_CODE (exchanged when no access token is given).

Run: python examples/adapters/tiktok_adapter.py   (exit 0 on success, 1 with one line on failure)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

HOSTS = {
    "production": {"api": "open-api.tiktokglobalshop.com", "auth": "auth.tiktok-shops.com"},
    "sandbox": {"api": "open-api-sandbox.tiktokglobalshop.com", "auth": "auth-sandbox.tiktok-shops.com"},
}
TOKEN_EXPIRED = 105002
THROTTLED = 36009002
INTERNAL_ERROR = 36009003
NOT_SHIPPABLE = 21011007
QPS = 25.0  # per shop; well inside TikTok's limits (about 50 per endpoint)
PAGE_SIZE = 50
MAX_PAGES = 1000
MAX_ATTEMPTS = 6
FIRST_THROTTLE_WAIT = 1.0  # TikTok sends no Retry-After: start backing off from one second
MAX_WAIT = 30.0
REFRESH_MARGIN = 300.0  # renew this long before expiry (at most a fifth of the token's life)
POLL_INTERVAL = 0.5  # seconds between read rounds when CLAWCHECK_DURATION asks for more


class AdapterError(Exception):
    """A failure worth one line on stderr and exit status 1."""


class PlatformError(AdapterError):
    """TikTok answered with a non-zero `code`."""

    def __init__(self, code: int, message: str, status: int) -> None:
        super().__init__(f"TikTok error {code} (HTTP {status}): {message}")
        self.code = code
        self.status = status


@dataclass
class Tokens:
    access: str
    refresh: str
    access_expires_at: float | None  # absolute Unix time; None: not known yet
    margin: float = REFRESH_MARGIN
    expired: set[str] = field(default_factory=set)  # tokens the platform called expired: never again


class Adapter:
    def __init__(self, env: Mapping[str, str] | None = None, client: httpx.Client | None = None) -> None:
        self.env = dict(os.environ if env is None else env)
        self.environment = self.env.get("CLAWCHECK_ENV", "sandbox")
        if self.environment not in HOSTS:
            raise AdapterError(f"CLAWCHECK_ENV must be sandbox or production, not {self.environment!r}")
        self.app_key = self._required("TIKTOK_APP_KEY")
        self.app_secret = self._required("TIKTOK_APP_SECRET")
        self.local_hosts: dict[str, str] = json.loads(self.env.get("CLAWCHECK_HOSTS") or "{}")
        self.client = client or httpx.Client(timeout=30.0)
        self.tokens = self._initial_tokens()
        self.last_request: dict[str, float] = {}  # shop key -> monotonic time of its last request
        self.throttled_until: dict[str, float] = {}
        self.throttle_wait: dict[str, float] = {}

    def _required(self, name: str) -> str:
        value = self.env.get(name)
        if not value:
            raise AdapterError(f"{name} is not set")
        return value

    def _initial_tokens(self) -> Tokens:
        expires = self.env.get("TIKTOK_ACCESS_TOKEN_EXPIRE_IN")
        tokens = Tokens(
            access=self.env.get("TIKTOK_ACCESS_TOKEN", ""),
            refresh=self.env.get("TIKTOK_REFRESH_TOKEN", ""),
            access_expires_at=float(expires) if expires else None,
        )
        if tokens.access_expires_at is not None:
            tokens.margin = self.refresh_margin(tokens.access_expires_at)
        return tokens

    # -- the behaviours, one small method each ---------------------------------------------

    def now(self) -> float:
        """True Unix time: TikTok timestamps are seconds since the epoch, UTC by definition."""
        return time.time()

    def timestamp(self) -> str:
        return str(int(self.now()))

    def host(self, role: str) -> str:
        """Base URL of the `api` or `auth` host of the configured environment."""
        real = HOSTS[self.environment][role]
        return self.local_hosts.get(real, f"https://{real}").rstrip("/")

    def sign(self, path: str, query: Mapping[str, str], body: bytes) -> str:
        pairs = "".join(f"{k}{v}" for k, v in sorted(query.items()) if k not in ("sign", "access_token"))
        message = self.app_secret.encode() + path.encode() + pairs.encode() + body + self.app_secret.encode()
        return hmac.new(self.app_secret.encode(), message, hashlib.sha256).hexdigest()

    def pace(self, shop: str) -> None:
        """At most QPS requests per second to one shop, and none while it is throttled."""
        now = time.monotonic()
        ready = max(self.last_request.get(shop, 0.0) + 1.0 / QPS, self.throttled_until.get(shop, 0.0))
        if ready > now:
            time.sleep(ready - now)
        self.last_request[shop] = time.monotonic()

    def wait_after_throttle(self, shop: str) -> float:
        """No wait is advertised: double the wait on each 429 in a row, from one second."""
        wait = min(self.throttle_wait.get(shop, FIRST_THROTTLE_WAIT / 2) * 2, MAX_WAIT)
        self.throttle_wait[shop] = wait
        self.throttled_until[shop] = time.monotonic() + wait
        return wait

    def backoff(self, attempt: int) -> float:
        return float(min(0.25 * 2**attempt, MAX_WAIT))

    def refresh_margin(self, expires_at: float) -> float:
        return min(REFRESH_MARGIN, max(0.0, (expires_at - self.now()) / 5))

    def needs_refresh(self) -> bool:
        if not self.tokens.access:
            return True
        expires = self.tokens.access_expires_at
        return expires is not None and self.now() >= expires - self.tokens.margin

    def refresh(self) -> None:
        """New tokens from the refresh token (or, with none, from the authorization code)."""
        if self.tokens.refresh:
            params = {"refresh_token": self.tokens.refresh, "grant_type": "refresh_token"}
            data = self._token_call("/api/v2/token/refresh", params)
        elif self.env.get("TIKTOK_AUTH_CODE"):
            params = {"auth_code": self.env["TIKTOK_AUTH_CODE"], "grant_type": "authorized_code"}
            data = self._token_call("/api/v2/token/get", params)
        else:
            raise AdapterError("no access token, refresh token or authorization code to work with")
        expires_at = float(data["access_token_expire_in"])  # absolute, not a duration
        self.tokens.access = str(data["access_token"])
        self.tokens.refresh = str(data["refresh_token"])  # persist the pair the platform returned
        self.tokens.access_expires_at = expires_at
        self.tokens.margin = self.refresh_margin(expires_at)

    # -- transport -------------------------------------------------------------------------

    def _token_call(self, path: str, params: Mapping[str, str]) -> dict[str, Any]:
        query = {"app_key": self.app_key, "app_secret": self.app_secret, **params}
        for attempt in range(MAX_ATTEMPTS):
            response = self.client.get(self.host("auth") + path, params=query)
            if response.status_code >= 500:
                time.sleep(self.backoff(attempt))
                continue
            payload = self._payload(response)
            if payload.get("code") != 0:
                raise PlatformError(
                    int(payload.get("code") or -1), str(payload.get("message")), response.status_code
                )
            return dict(payload["data"])
        raise AdapterError(f"{path} kept failing with server errors")

    def call(
        self,
        method: str,
        path: str,
        *,
        shop: str | None,
        query: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One Open API call: paced, signed, retried; returns `data` or raises PlatformError."""
        raw = json.dumps(body, separators=(",", ":")).encode() if body is not None else b""
        key = shop or "app"
        refreshed = False
        for attempt in range(MAX_ATTEMPTS):
            if self.needs_refresh():
                self.refresh()
            self.pace(key)
            response = self._send(method, path, shop, query or {}, raw)
            payload = self._payload(response)
            code = payload.get("code")
            if response.status_code == 429 or code == THROTTLED:
                self.wait_after_throttle(key)
                continue
            self.throttle_wait.pop(key, None)
            if response.status_code >= 500 or code == INTERNAL_ERROR:
                time.sleep(self.backoff(attempt))
                continue
            if code == TOKEN_EXPIRED and not refreshed:
                self.tokens.expired.add(self.tokens.access)
                self.refresh()
                refreshed = True
                continue
            if code != 0:
                raise PlatformError(int(code or -1), str(payload.get("message")), response.status_code)
            data = payload.get("data")
            return dict(data) if isinstance(data, dict) else {}
        raise AdapterError(f"{method} {path} failed {MAX_ATTEMPTS} times (throttled or server errors)")

    def _send(
        self, method: str, path: str, shop: str | None, query: Mapping[str, str], raw: bytes
    ) -> httpx.Response:
        if self.tokens.access in self.tokens.expired:
            raise AdapterError("refusing to send an access token the platform reported expired")
        params = {**query, "app_key": self.app_key, "timestamp": self.timestamp()}
        if shop:
            params["shop_cipher"] = shop
        params["sign"] = self.sign(path, params, raw)
        headers = {"x-tts-access-token": self.tokens.access, "content-type": "application/json"}
        return self.client.request(
            method, self.host("api") + path, params=params, content=raw or None, headers=headers
        )

    @staticmethod
    def _payload(response: httpx.Response) -> dict[str, Any]:
        try:
            payload = response.json()
        except ValueError:
            raise AdapterError(f"HTTP {response.status_code} with a body that is not JSON") from None
        if not isinstance(payload, dict):
            raise AdapterError(f"HTTP {response.status_code} with an unexpected body")
        return payload

    # -- the operations --------------------------------------------------------------------

    def shop_cipher(self) -> str:
        shops = self.call("GET", "/authorization/202309/shops", shop=None).get("shops", [])
        wanted = self.env.get("TIKTOK_SHOP_CIPHER")
        ciphers = [s["cipher"] for s in shops]
        if not ciphers:
            raise AdapterError("the seller authorized no shop to this app")
        if wanted and wanted not in ciphers:
            raise AdapterError("TIKTOK_SHOP_CIPHER is not among the authorized shops")
        return wanted or ciphers[0]

    def list_orders(self, shop: str) -> tuple[list[dict[str, Any]], int]:
        """Every order of the shop, following `next_page_token` to the end; (orders, pages)."""
        orders: list[dict[str, Any]] = []
        token = ""
        for page in range(1, MAX_PAGES + 1):
            query = {"page_size": str(PAGE_SIZE), "sort_field": "create_time", "sort_order": "ASC"}
            if token:
                query["page_token"] = token
            data = self.call("POST", "/order/202309/orders/search", shop=shop, query=query, body={})
            orders.extend(data.get("orders", []))
            token = data.get("next_page_token") or ""
            if not token:
                if len(orders) != data.get("total_count", len(orders)):
                    raise AdapterError(
                        f"listed {len(orders)} orders but total_count is {data.get('total_count')}"
                    )
                return orders, page
        raise AdapterError(f"more than {MAX_PAGES} pages of orders")

    def order(self, shop: str, order_id: str) -> dict[str, Any]:
        found = self.call("GET", "/order/202309/orders", shop=shop, query={"ids": order_id}).get("orders", [])
        if len(found) != 1 or found[0].get("id") != order_id:
            raise AdapterError(f"order {order_id} did not come back from Get Order Detail")
        return dict(found[0])

    def set_stock(self, shop: str, product_id: str, sku_id: str) -> tuple[int, int]:
        """Add one unit in every warehouse of the SKU (all warehouses must be sent); (before, after)."""
        path = f"/product/202309/products/{product_id}"
        sku = self._sku(self.call("GET", path, shop=shop), sku_id)
        before = {row["warehouse_id"]: int(row["quantity"]) for row in sku["inventory"]}
        wanted = {warehouse: quantity + 1 for warehouse, quantity in before.items()}
        inventory = [{"warehouse_id": w, "quantity": q} for w, q in wanted.items()]
        self.call(
            "POST",
            f"{path}/inventory/update",
            shop=shop,
            body={"skus": [{"id": sku_id, "inventory": inventory}]},
        )
        after = {
            row["warehouse_id"]: int(row["quantity"])
            for row in self._sku(self.call("GET", path, shop=shop), sku_id)["inventory"]
        }
        if after != wanted:
            raise AdapterError(f"stock of SKU {sku_id} reads {after} after setting {wanted}")
        return sum(before.values()), sum(after.values())

    @staticmethod
    def _sku(product: Mapping[str, Any], sku_id: str) -> dict[str, Any]:
        for sku in product.get("skus", []):
            if sku.get("id") == sku_id:
                return dict(sku)
        raise AdapterError(f"SKU {sku_id} is not on product {product.get('id')}")

    def ship(self, shop: str, order: Mapping[str, Any]) -> str:
        """Seller shipping: the package gets our tracking number; the order goes IN_TRANSIT."""
        package_id = order["packages"][0]["id"]
        tracking = f"CLAW{order['id'][-10:]}"
        provider = self._required("TIKTOK_SHIPPING_PROVIDER_ID")
        body = {"self_shipment": {"tracking_number": tracking, "shipping_provider_id": provider}}
        try:
            self.call("POST", f"/fulfillment/202309/packages/{package_id}/ship", shop=shop, body=body)
        except PlatformError as error:
            # A retried ship whose first attempt went through: the package is ours already.
            if (
                error.code != NOT_SHIPPABLE
                or self.order(shop, order["id"]).get("tracking_number") != tracking
            ):
                raise
        shipped = self.order(shop, order["id"])
        if shipped.get("status") != "IN_TRANSIT" or shipped.get("tracking_number") != tracking:
            raise AdapterError(f"order {order['id']} is {shipped.get('status')} after shipping")
        return str(order["id"])

    # -- the run -----------------------------------------------------------------------------

    def run(self, duration: float = 0.0) -> str:
        deadline = time.monotonic() + duration
        shop = self.shop_cipher()
        orders, pages = self.list_orders(shop)
        if not orders:
            raise AdapterError("the shop has no orders")
        self.order(shop, orders[0]["id"])
        line = orders[0]["line_items"][0]
        before, after = self.set_stock(shop, line["product_id"], line["sku_id"])
        pending = [o for o in orders if o.get("status") == "AWAITING_SHIPMENT"]
        shipped = self.ship(shop, pending[0]) if pending else None
        again, _ = self.list_orders(shop)
        if len(again) != len(orders):
            raise AdapterError(f"listed {len(orders)} orders, then {len(again)}")
        if shipped and next(o for o in again if o["id"] == shipped).get("status") != "IN_TRANSIT":
            raise AdapterError(f"order {shipped} is not IN_TRANSIT in the order list")
        rounds = 1
        while time.monotonic() + POLL_INTERVAL < deadline:
            time.sleep(POLL_INTERVAL)
            listed, _ = self.list_orders(shop)
            self.order(shop, listed[-1]["id"])
            rounds += 1
        return (
            f"ok: {len(orders)} orders over {pages} page(s); SKU {line['sku_id']} stock {before} -> {after}; "
            f"shipped {shipped or 'nothing (no order awaited shipment)'}; {rounds} round(s)"
        )


def main() -> int:
    try:
        adapter = Adapter()
        with adapter.client:
            print(adapter.run(float(os.environ.get("CLAWCHECK_DURATION") or 0)))
    except (AdapterError, httpx.HTTPError, KeyError, ValueError) as error:
        print(f"tiktok adapter failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
