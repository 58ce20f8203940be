#!/usr/bin/env python3
"""A reference Lazada Open Platform adapter: what a correct seller integration does.

It stands for a seller's adapter in any language (standard library + httpx only) and is
runnable against the real platform or clawcheck's mock:

    clawcheck client lazada --scenario token-expiry -- python examples/adapters/lazada_adapter.py

For every authorized seller it lists all orders created in the last 30 days (every page),
reads one order and its items, raises the sellable stock of one SKU and reads it back,
packs one pending order and marks it ready to ship, then lists again to see the change.

What it gets right, each in its own small method so that tests can break exactly one:
- signs every call (`sign`): HMAC-SHA256 with the App Secret over the API name and the
  sorted name+value pairs, upper-case hex; timestamps in UTC epoch milliseconds;
- paces itself per seller below the flow-control limit (`pace`) and, after an
  `ApiCallLimit` refusal, waits the "ban will last N seconds" it was told (`wait_after_throttle`);
- refreshes the access token before it expires (`needs_refresh`, `refresh`) and on
  `IllegalAccessToken`, and never sends an expired token twice;
- retries gateway failures (HTTP 5xx, network errors) with exponential backoff;
- sends date-times in UTC (`iso`): `2026-11-01T00:00:00+00:00`.

Environment: CLAWCHECK_HOSTS (JSON: real host -> local base URL; empty: the real hosts),
CLAWCHECK_ENV, CLAWCHECK_DURATION (seconds to keep working; 0 = one pass), LAZADA_APP_KEY,
LAZADA_APP_SECRET, and LAZADA_SELLER_TOKENS (JSON list of {seller_id, country,
access_token, refresh_token, expires_at}) or, for one seller, LAZADA_SELLER_ID,
LAZADA_COUNTRY, LAZADA_ACCESS_TOKEN, LAZADA_REFRESH_TOKEN, LAZADA_ACCESS_EXPIRES_AT.
Exit status 0 on success, 1 with a one-line message on failure.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import httpx

GATEWAYS = {
    "sg": "api.lazada.sg",
    "my": "api.lazada.com.my",
    "th": "api.lazada.co.th",
    "ph": "api.lazada.com.ph",
    "vn": "api.lazada.vn",
    "id": "api.lazada.co.id",
}
AUTH_HOST = "auth.lazada.com"
QPS = 8.0  # requests per second per seller: below the platform's flow-control limit
PAGE_SIZE = 100  # GetOrders' maximum `limit`
MAX_OFFSET = 5000  # GetOrders' maximum `offset`: past it, continue from the last order's time
RETRIES = 6
REFRESH_MARGIN = 1800.0  # Lazada recommends refreshing 30 minutes before expiry
LOOKBACK = 30 * 86400.0
_BAN = re.compile(r"ban will last (\d+) seconds?")


class LazadaError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass
class Seller:
    """One authorized seller: its tokens and the adapter's pacing state for it."""

    seller_id: str
    country: str
    access_token: str
    refresh_token: str
    expires_at: float  # Unix time
    lifetime: float  # seconds the current access token was valid for when obtained
    next_slot: float = 0.0  # earliest time of the next request (pacing)
    blocked_until: float = 0.0  # end of a flow-control ban

    @property
    def gateway(self) -> str:
        return GATEWAYS[self.country]


class Adapter:
    def __init__(self, env: Mapping[str, str], client: httpx.Client | None = None) -> None:
        self.app_key = env["LAZADA_APP_KEY"]
        self.app_secret = env["LAZADA_APP_SECRET"]
        self.hosts: dict[str, str] = json.loads(env.get("CLAWCHECK_HOSTS") or "{}")
        self.environment = env.get("CLAWCHECK_ENV", "production")
        self.duration = float(env.get("CLAWCHECK_DURATION") or 0)
        self.http = client or httpx.Client(timeout=15.0)
        started = self.now()
        self.sellers = [self._seller(record, started) for record in _seller_records(env)]

    def _seller(self, record: Mapping[str, Any], now: float) -> Seller:
        expires_at = float(record["expires_at"])
        return Seller(
            str(record["seller_id"]),
            str(record["country"]),
            str(record["access_token"]),
            str(record["refresh_token"]),
            expires_at,
            max(expires_at - now, 0.0),
        )

    # -- behaviours (each one overridable) ----------------------------------------------

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def timestamp(self) -> str:
        """The `timestamp` parameter: UTC epoch milliseconds."""
        return str(int(self.now() * 1000))

    def iso(self, moment: float) -> str:
        """A date-time parameter: ISO 8601 in UTC with an explicit offset."""
        return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds")

    def host(self, name: str) -> str:
        """The gateway URL for a real host name (the mock's local URL when one is given)."""
        return self.hosts.get(name, f"https://{name}").rstrip("/") + "/rest"

    def sign(self, api: str, params: Mapping[str, str]) -> str:
        text = api + "".join(f"{key}{params[key]}" for key in sorted(params) if key != "sign")
        return hmac.new(self.app_secret.encode(), text.encode(), hashlib.sha256).hexdigest().upper()

    def pace(self, seller: Seller) -> None:
        """Wait for this seller's next request slot (and any ban), then book the next one."""
        self.sleep(max(seller.next_slot, seller.blocked_until) - self.now())
        seller.next_slot = self.now() + 1.0 / QPS

    def wait_after_throttle(self, seller: Seller, seconds: float) -> None:
        seller.blocked_until = self.now() + seconds + 0.05

    def needs_refresh(self, seller: Seller) -> bool:
        margin = min(REFRESH_MARGIN, seller.lifetime * 0.25)
        return self.now() >= seller.expires_at - margin

    def refresh(self, seller: Seller) -> None:
        """A new access token (and refresh token) from auth.lazada.com; the old one is dropped."""
        body = self.request(
            seller, "POST", AUTH_HOST, "/auth/token/refresh", {"refresh_token": seller.refresh_token}
        )
        code = str(body.get("code"))
        if code != "0":
            raise LazadaError(
                code, f"token refresh for seller {seller.seller_id} refused: {body.get('message')}"
            )
        obtained = self.now()
        seller.access_token = body["access_token"]
        seller.refresh_token = body["refresh_token"]
        seller.lifetime = float(body["expires_in"])
        seller.expires_at = obtained + seller.lifetime

    def backoff(self, attempt: int) -> float:
        return min(0.2 * 2.0**attempt, 5.0)

    # -- the wire -------------------------------------------------------------------------

    def send(
        self, method: str, host: str, api: str, business: Mapping[str, str], token: str | None
    ) -> httpx.Response:
        """One signed request, every parameter in the query (GET) or the form body (POST)."""
        params = {"app_key": self.app_key, "timestamp": self.timestamp(), "sign_method": "sha256"}
        if token:
            params["access_token"] = token
        # Empty values are left out: Lazada's SDKs disagree on how to sign them.
        params.update({key: value for key, value in business.items() if value != ""})
        params["sign"] = self.sign(api, params)
        url = self.host(host) + api
        if method == "GET":
            return self.http.get(url, params=params)
        return self.http.post(url, data=params)

    def request(
        self, seller: Seller, method: str, host: str, api: str, business: Mapping[str, str]
    ) -> dict[str, Any]:
        """Send with retries of gateway failures; the decoded body, whatever its `code`."""
        for attempt in range(RETRIES):
            token = None if host == AUTH_HOST else seller.access_token
            try:
                response = self.send(method, host, api, business, token)
            except httpx.TransportError:
                self.sleep(self.backoff(attempt))
                continue
            if response.status_code >= 500:
                self.sleep(self.backoff(attempt))
                continue
            body: dict[str, Any] = response.json()
            return body
        raise LazadaError("Unavailable", f"{api} failed {RETRIES} times")

    def call(
        self, seller: Seller, method: str, api: str, business: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """A seller API call: paced, with a fresh token, retried after bans and token expiry."""
        for _ in range(RETRIES):
            self.pace(seller)
            if self.needs_refresh(seller):
                self.refresh(seller)
                self.pace(seller)
            body = self.request(seller, method, seller.gateway, api, business or {})
            code = str(body.get("code"))
            if code == "0":
                return body
            if code == "ApiCallLimit":
                found = _BAN.search(str(body.get("message", "")))
                self.wait_after_throttle(seller, float(found.group(1)) if found else 1.0)
            elif code == "IllegalAccessToken":
                self.refresh(seller)
            else:
                raise LazadaError(code, f"{api}: {body.get('message')}")
        raise LazadaError("GaveUp", f"{api} still refused after {RETRIES} attempts")

    # -- the operations -------------------------------------------------------------------

    def list_orders(self, seller: Seller, since: float) -> list[dict[str, Any]]:
        """Every order created since `since`, oldest first, through every page."""
        found: dict[int, dict[str, Any]] = {}
        offset = 0
        while True:
            data = self.call(
                seller,
                "GET",
                "/orders/get",
                {
                    "created_after": self.iso(since),
                    "sort_by": "created_at",
                    "sort_direction": "ASC",
                    "offset": str(offset),
                    "limit": str(PAGE_SIZE),
                },
            )["data"]
            page = data.get("orders") or []
            for order in page:
                found[int(order["order_id"])] = order
            offset += len(page)  # by what came back: a page may be shorter than the limit asked
            if not page or offset >= int(data.get("countTotal") or 0):
                return list(found.values())
            if offset >= MAX_OFFSET:  # the offset cannot go further: restart from the last order
                since, offset = _lazada_time(page[-1]["created_at"]), 0

    def read_order(self, seller: Seller, order_id: int) -> dict[str, Any]:
        data: dict[str, Any] = self.call(seller, "GET", "/order/get", {"order_id": str(order_id)})["data"]
        return data

    def order_items(self, seller: Seller, order_id: int) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.call(
            seller, "GET", "/order/items/get", {"order_id": str(order_id)}
        )["data"]
        return items

    def sellable(self, seller: Seller, item_id: str, sku_id: str) -> int:
        product = self.call(seller, "GET", "/product/item/get", {"item_id": item_id})["data"]
        for sku in product["skus"]:
            if str(sku["SkuId"]) == sku_id:
                return int(sku["quantity"])
        raise LazadaError("NoSku", f"SKU {sku_id} is not in product {item_id}")

    def set_sellable(self, seller: Seller, item_id: str, sku_id: str, quantity: int) -> None:
        payload = (
            "<Request><Product><Skus><Sku>"
            f"<ItemId>{escape(item_id)}</ItemId><SkuId>{escape(sku_id)}</SkuId>"
            f"<SellableQuantity>{quantity}</SellableQuantity>"
            "</Sku></Skus></Product></Request>"
        )
        self.call(seller, "POST", "/product/stock/sellable/update", {"payload": payload})

    def ship(self, seller: Seller, order_id: int, item_ids: list[int]) -> None:
        """Pack the items (one package) and mark the package ready to ship."""
        pack = {
            "pack_order_list": [{"order_id": order_id, "order_item_list": item_ids}],
            "delivery_type": "dropship",
            "shipping_allocate_type": "TFS",
        }
        result = self.call(seller, "POST", "/order/fulfill/pack", {"packReq": json.dumps(pack)})["result"]
        packed = [item for order in result["data"]["pack_order_list"] for item in order["order_item_list"]]
        failed = [item for item in packed if item["item_err_code"] != "0"]
        if not result["success"] or failed or not packed:
            raise LazadaError("PackFailed", f"order {order_id}: {failed or result.get('errorMsg')}")
        packages = sorted({item["package_id"] for item in packed})
        request = {"packages": [{"package_id": package} for package in packages]}
        result = self.call(seller, "POST", "/order/package/rts", {"readyToShipReq": json.dumps(request)})[
            "result"
        ]
        refused = [p for p in result["data"]["packages"] if p["item_err_code"] != "0"]
        if not result["success"] or refused:
            raise LazadaError("RtsFailed", f"order {order_id}: {refused or result.get('errorMsg')}")

    # -- the job --------------------------------------------------------------------------

    def work(self, seller: Seller) -> str:
        since = self.now() - LOOKBACK
        orders = self.list_orders(seller, since)
        if not orders:
            return f"seller {seller.seller_id}: no orders"
        pending = next((o for o in orders if o["statuses"] == ["pending"]), None)
        order = self.read_order(seller, int((pending or orders[0])["order_id"]))
        items = self.order_items(seller, int(order["order_id"]))
        item_id, sku_id = str(items[0]["product_id"]), str(items[0]["sku_id"])
        target = self.sellable(seller, item_id, sku_id) + 5
        self.set_sellable(seller, item_id, sku_id, target)
        if self.sellable(seller, item_id, sku_id) != target:
            raise LazadaError("StockMismatch", f"SKU {sku_id} does not show the new stock {target}")
        shipped = ""
        if pending is not None:
            self.ship(
                seller,
                int(order["order_id"]),
                [int(i["order_item_id"]) for i in items if i["status"] == "pending"],
            )
            again = {int(o["order_id"]): o for o in self.list_orders(seller, since)}
            if again[int(order["order_id"])]["statuses"] != ["ready_to_ship"]:
                raise LazadaError("NotShipped", f"order {order['order_id']} is not ready to ship after RTS")
            shipped = f", shipped order {order['order_id']}"
        return f"seller {seller.seller_id}: {len(orders)} orders, SKU {sku_id} stock {target}{shipped}"

    def run(self) -> list[str]:
        deadline = self.now() + self.duration
        done: list[str] = []
        while True:
            done.extend(self.work(seller) for seller in self.sellers)
            if self.now() >= deadline:
                return done


def _seller_records(env: Mapping[str, str]) -> list[dict[str, Any]]:
    if env.get("LAZADA_SELLER_TOKENS"):
        records: list[dict[str, Any]] = json.loads(env["LAZADA_SELLER_TOKENS"])
        return records
    return [
        {
            "seller_id": env["LAZADA_SELLER_ID"],
            "country": env["LAZADA_COUNTRY"],
            "access_token": env["LAZADA_ACCESS_TOKEN"],
            "refresh_token": env["LAZADA_REFRESH_TOKEN"],
            "expires_at": env.get("LAZADA_ACCESS_EXPIRES_AT") or "0",
        }
    ]


def _lazada_time(text: str) -> float:
    """An order date-time as Lazada renders it (`2026-11-20 10:00:00 +0800`), as Unix time."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z").timestamp()


def main() -> int:
    try:
        adapter = Adapter(os.environ)
        with adapter.http:
            for line in adapter.run():
                print(line)
    except (LazadaError, KeyError, ValueError, httpx.HTTPError) as exc:
        print(f"lazada adapter failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
