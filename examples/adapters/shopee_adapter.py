"""A reference seller adapter for the Shopee Open Platform API v2.

It stands for a seller's integration in any language: stdlib + httpx, no clawcheck import.
One pass: refresh the token pair, list every order of the last 15 days (all pages), read one
order, set the stock of one SKU and read it back, arrange shipment of one READY_TO_SHIP order,
then list again and check that the order moved to PROCESSED with a tracking number.

What it does right, each in its own small method so a test can break exactly one:
- `sign`: every call carries partner_id, timestamp and sign in the query; sign is the hex
  HMAC-SHA256 (key: the partner key) of partner_id + path + timestamp, plus access_token +
  shop_id for shop APIs. `timestamp` is Unix seconds from the true clock (UTC by definition).
- `needs_refresh` / `refresh`: an access token lives 4 hours (`expire_in`); renew it shortly
  before it expires and at once on `invalid_acceess_token` (sic); never send the old one again.
  The refresh token is single-use: keep the new one every refresh returns.
- `pace`: Shopee publishes no rate; stay under 10 requests per second per shop.
- `wait_after_throttle`: `error_rate_limit` comes with no Retry-After: back off at least 1 s,
  doubling while it repeats.
- 5xx (`error_server`): retried with exponential backoff.
- `encode_query`: every query value is percent-encoded, so a `cursor` carrying `+`, `/` or `=`
  goes back exactly as received.

Environment: CLAWCHECK_BASE_URL, CLAWCHECK_HOSTS (JSON: real host -> local base URL),
CLAWCHECK_ENV (sandbox|production), CLAWCHECK_DURATION (seconds, 0 = one pass), and the
credentials SHOPEE_PARTNER_ID, SHOPEE_PARTNER_KEY, SHOPEE_SHOP_ID, SHOPEE_ACCESS_TOKEN,
SHOPEE_REFRESH_TOKEN.

Run: python examples/adapters/shopee_adapter.py   (exit 0 on success, 1 with one line on failure)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

# The documented host of each environment (the mock also serves regional and legacy hosts).
HOSTS = {"sandbox": "openplatform.sandbox.test-stable.shopee.sg", "production": "partner.shopeemobile.com"}
PUBLIC_PATHS = ("/api/v2/auth/token/get", "/api/v2/auth/access_token/get")
REFRESH_PATH = "/api/v2/auth/access_token/get"
FIFTEEN_DAYS = 15 * 86400
MAX_ATTEMPTS = 8
REQUESTS_PER_SECOND = 8.0  # under Shopee's working figure of 10 per shop
EXPIRED_TOKEN_ERRORS = ("invalid_acceess_token", "invalid_access_token")
RETRIED_ERRORS = ("error_server", "error_network", "error_busy")


class AdapterError(Exception):
    """Something the adapter cannot recover from; main() prints it on one line."""


@dataclass
class Credentials:
    partner_id: int
    partner_key: str
    shop_id: int
    access_token: str
    refresh_token: str
    expires_at: float | None = None  # unknown until the first refresh says `expire_in`


class Adapter:
    def __init__(self, env: Mapping[str, str], client: httpx.Client | None = None) -> None:
        self.env = env
        self.environment = env.get("CLAWCHECK_ENV", "sandbox")
        self.duration = float(env.get("CLAWCHECK_DURATION") or 0)
        self.creds = Credentials(
            partner_id=int(env["SHOPEE_PARTNER_ID"]),
            partner_key=env["SHOPEE_PARTNER_KEY"],
            shop_id=int(env["SHOPEE_SHOP_ID"]),
            access_token=env["SHOPEE_ACCESS_TOKEN"],
            refresh_token=env["SHOPEE_REFRESH_TOKEN"],
        )
        self.owns_client = client is None
        self.client = client or httpx.Client(timeout=30.0)
        self.requests_per_second = REQUESTS_PER_SECOND
        self.last_request = 0.0
        self.token_lifetime = 4 * 3600.0

    # -- the behaviours ---------------------------------------------------------------

    def now(self) -> float:
        return time.time()

    def timestamp(self) -> int:
        """Unix seconds: the same number goes into the query and the signature."""
        return int(self.now())

    def host(self) -> str:
        """The base URL of this environment's host (the harness maps real hosts to local ones)."""
        real = HOSTS[self.environment]
        hosts = json.loads(self.env.get("CLAWCHECK_HOSTS") or "{}")
        return str(hosts.get(real) or self.env.get("CLAWCHECK_BASE_URL") or f"https://{real}")

    def sign(self, path: str, timestamp: int, public: bool) -> str:
        base = f"{self.creds.partner_id}{path}{timestamp}"
        if not public:
            base += f"{self.creds.access_token}{self.creds.shop_id}"
        return hmac.new(self.creds.partner_key.encode(), base.encode(), hashlib.sha256).hexdigest()

    def encode_query(self, query: Mapping[str, Any]) -> str:
        """Percent-encode every value: a cursor may carry `+`, `/` and `=`."""
        return urlencode({k: str(v) for k, v in query.items()})

    def pace(self) -> None:
        """At most `requests_per_second` to the shop: sleep until the next slot."""
        wait = self.last_request + 1.0 / self.requests_per_second - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.last_request = time.monotonic()

    def wait_after_throttle(self, seconds: float) -> None:
        time.sleep(seconds)

    def throttle_wait(self, attempt: int) -> float:
        """Shopee advertises no wait: at least one second, doubling while throttling lasts."""
        return min(1.0 * 2**attempt, 16.0)

    def server_error_wait(self, attempt: int) -> float:
        return min(0.5 * 2**attempt, 8.0)

    def needs_refresh(self) -> bool:
        """Refresh when the expiry is unknown or within a quarter of the lifetime (at most 5 min)."""
        if self.creds.expires_at is None:
            return True
        margin = min(300.0, self.token_lifetime / 4)
        return self.now() >= self.creds.expires_at - margin

    def refresh(self) -> None:
        body = {
            "refresh_token": self.creds.refresh_token,
            "partner_id": self.creds.partner_id,
            "shop_id": self.creds.shop_id,
        }
        data = self.request("POST", REFRESH_PATH, body=body, public=True)
        self.creds.access_token = str(data["access_token"])
        self.creds.refresh_token = str(data["refresh_token"])  # single-use: keep the new one
        self.token_lifetime = float(data["expire_in"])
        self.creds.expires_at = self.now() + self.token_lifetime

    def forget_token(self) -> None:
        """The platform says the token expired: never send it again, refresh before the next call."""
        self.creds.expires_at = None

    # -- one signed call, with the retry rules ---------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        *,
        public: bool = False,
    ) -> dict[str, Any]:
        for attempt in range(MAX_ATTEMPTS):
            if not public and self.needs_refresh():
                self.refresh()
            self.pace()
            status, data = self.send(method, path, params, body, public)
            error = str(data.get("error") or "")
            if status == 429 or error == "error_rate_limit":
                self.wait_after_throttle(self.throttle_wait(attempt))
            elif status >= 500 or error in RETRIED_ERRORS:
                time.sleep(self.server_error_wait(attempt))
            elif not public and error in EXPIRED_TOKEN_ERRORS:
                self.forget_token()
            elif error or status >= 400:
                raise AdapterError(f"{method} {path}: HTTP {status} {error}: {data.get('message', '')}")
            else:
                return data
        raise AdapterError(f"{method} {path}: still failing after {MAX_ATTEMPTS} attempts")

    def send(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Mapping[str, Any] | None,
        public: bool,
    ) -> tuple[int, dict[str, Any]]:
        timestamp = self.timestamp()
        query: dict[str, Any] = {"partner_id": self.creds.partner_id, "timestamp": timestamp}
        if not public:
            query |= {"access_token": self.creds.access_token, "shop_id": self.creds.shop_id}
        query |= {**(params or {}), "sign": self.sign(path, timestamp, public)}
        try:
            url = f"{self.host()}{path}?{self.encode_query(query)}"
            response = self.client.request(method, url, json=body)
        except httpx.HTTPError as exc:
            return 599, {"error": "error_network", "message": type(exc).__name__}
        try:
            data = response.json()
        except ValueError:
            data = {"error": "error_server" if response.status_code >= 500 else "bad_response"}
        return response.status_code, data if isinstance(data, dict) else {"error": "bad_response"}

    # -- the work ----------------------------------------------------------------------

    def list_orders(self) -> list[dict[str, Any]]:
        """Every order created in the last 15 days, through every page."""
        time_to = self.timestamp()
        params: dict[str, Any] = {
            "time_range_field": "create_time",
            "time_from": time_to - FIFTEEN_DAYS + 60,
            "time_to": time_to,
            "page_size": 100,
            "response_optional_fields": "order_status",
        }
        orders: list[dict[str, Any]] = []
        cursor = ""
        while True:
            found = self.request("GET", "/api/v2/order/get_order_list", {**params, "cursor": cursor})
            page = found["response"]
            orders += page["order_list"]
            if not page["more"]:
                return orders
            cursor = page["next_cursor"]

    def order_detail(self, order_sn: str) -> dict[str, Any]:
        fields = "item_list,package_list,total_amount"
        params = {"order_sn_list": order_sn, "response_optional_fields": fields}
        found = self.request("GET", "/api/v2/order/get_order_detail", params)["response"]["order_list"]
        if not found:
            raise AdapterError(f"order {order_sn} was listed but cannot be read")
        return dict(found[0])

    def stock_of(self, item_id: int, model_id: int) -> int:
        if model_id:
            models = self.request("GET", "/api/v2/product/get_model_list", {"item_id": item_id})["response"]
            model = next(m for m in models["model"] if m["model_id"] == model_id)
            return int(model["stock_info_v2"]["seller_stock"][0]["stock"])
        items = self.request("GET", "/api/v2/product/get_item_base_info", {"item_id_list": item_id})
        return int(items["response"]["item_list"][0]["stock_info_v2"]["seller_stock"][0]["stock"])

    def set_stock(self, item_id: int, model_id: int, stock: int) -> None:
        entry = {"model_id": model_id, "seller_stock": [{"stock": stock}]}
        body = {"item_id": item_id, "stock_list": [entry]}
        result = self.request("POST", "/api/v2/product/update_stock", body=body)["response"]
        if result["failure_list"]:
            raise AdapterError(f"update_stock failed: {result['failure_list'][0].get('failed_reason')}")
        if self.stock_of(item_id, model_id) != stock:
            raise AdapterError(f"stock of item {item_id} model {model_id} did not become {stock}")

    def ship(self, order_sn: str) -> str:
        """Arrange shipment with what get_shipping_parameter asks for; returns the tracking number."""
        found = self.request("GET", "/api/v2/logistics/get_shipping_parameter", {"order_sn": order_sn})
        info = found["response"]
        body: dict[str, Any] = {"order_sn": order_sn}
        if "pickup" in info["info_needed"]:
            address = info["pickup"]["address_list"][0]
            slot = address["time_slot_list"][0]
            body["pickup"] = {"address_id": address["address_id"], "pickup_time_id": slot["pickup_time_id"]}
        elif "dropoff" in info["info_needed"]:
            body["dropoff"] = {"branch_id": info["dropoff"]["branch_list"][0]["branch_id"]}
        else:
            body["non_integrated"] = {"tracking_number": f"SELF-{order_sn}"}
        self.request("POST", "/api/v2/logistics/ship_order", body=body)
        tracking = self.request("GET", "/api/v2/logistics/get_tracking_number", {"order_sn": order_sn})
        return str(tracking["response"]["tracking_number"])

    def run_pass(self, ship: bool) -> None:
        orders = self.list_orders()
        if not orders:
            raise AdapterError("the shop has no orders in the last 15 days")
        detail = self.order_detail(orders[0]["order_sn"])
        line = detail["item_list"][0]
        item_id, model_id = int(line["item_id"]), int(line["model_id"])
        self.set_stock(item_id, model_id, self.stock_of(item_id, model_id) + 5)
        ready = [o["order_sn"] for o in orders if o.get("order_status") == "READY_TO_SHIP"]
        if not (ship and ready):
            return
        tracking = self.ship(ready[0])
        after = {o["order_sn"]: o.get("order_status") for o in self.list_orders()}
        if after.get(ready[0]) != "PROCESSED" or not tracking:
            raise AdapterError(f"order {ready[0]} is {after.get(ready[0])} after ship_order, not PROCESSED")

    def run(self) -> None:
        deadline = time.monotonic() + self.duration
        try:
            self.run_pass(ship=True)
            while time.monotonic() < deadline:
                self.run_pass(ship=False)
        finally:
            if self.owns_client:
                self.client.close()


def main() -> int:
    try:
        Adapter(os.environ).run()
    except (AdapterError, KeyError, httpx.HTTPError) as exc:
        print(f"shopee adapter: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
