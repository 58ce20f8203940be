"""OpenClaw v2 load scenario for Locust, with exact per-operation recording (HDR histograms).

Usable as-is, web UI included:

    locust -f load/locustfile.py --host http://127.0.0.1:8080

or headless with SLA verdicts through `clawcheck load` (which runs this file in a Locust
subprocess). Credentials come from OPENCLAW_CLIENT_ID / OPENCLAW_CLIENT_SECRET (default:
the sandbox's demo client) and shops from OPENCLAW_SHOP_ID (comma-separated; default:
`shop_lt0000` … one per user slot, provisioned by the sandbox on first use). The task
mix is `[weights]` of `load/profiles.toml`; the x-priority 1 operations weigh the most.

Every request is named after the spec's operation (`POST /v2/orders/{order_id}/pay`), so
Locust's table and clawcheck's verdicts speak of the same operations. A 429 waits
`Retry-After` (politely) and still counts as a failure.
"""

from __future__ import annotations

import itertools
import os
import random
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, constant, constant_pacing

from clawcheck.load.locust_plugin import LoadPlugin
from clawcheck.load.profiles import load_profiles

HERE = Path(__file__).resolve().parent
PLUGIN = LoadPlugin()
CONFIG = PLUGIN.config

CLIENT_ID = os.environ.get("OPENCLAW_CLIENT_ID") or "clawcheck-demo"
CLIENT_SECRET = os.environ.get("OPENCLAW_CLIENT_SECRET") or "clawcheck-demo-secret"
_SHOPS_ENV = [s.strip() for s in (os.environ.get("OPENCLAW_SHOP_ID") or "").split(",") if s.strip()]
SHOP_COUNT = int(CONFIG.get("shops", 64))
SKUS = ("SKU-LT-RED-M", "SKU-LT-BLUE-L", "SKU-LT-GREEN-S", "SKU-LT-BLACK-XL")
WAREHOUSES = ("WH-SZ-01", "WH-LA-01")
PLATFORMS = ("amazon", "shopify", "walmart", "shopee", "lazada", "tiktok_shop", "temu", "coupang")
_shop_numbers = itertools.count(int(os.environ.get("CLAWCHECK_WORKER_INDEX", "0")) * 100_000)
_TOKEN_MARGIN = 60.0  # refresh this long before expiry


def _weights() -> dict[str, int]:
    weights = CONFIG.get("weights")
    if not weights:
        weights = next(iter(load_profiles(HERE / "profiles.toml").values())).weights
    only = CONFIG.get("operations")
    return {op: int(w) for op, w in weights.items() if w > 0 and (not only or op in only)}


class OpenClawUser(FastHttpUser):
    """One integration client: its own shop, token, stock and orders moving through their states."""

    wait_time = constant_pacing(float(CONFIG["pace"])) if CONFIG.get("pace") else constant(0)
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        number = next(_shop_numbers)
        self.shop = _SHOPS_ENV[number % len(_SHOPS_ENV)] if _SHOPS_ENV else f"shop_lt{number % 100_000:05d}"
        if not _SHOPS_ENV and SHOP_COUNT:
            self.shop = f"shop_lt{number % max(SHOP_COUNT, 1):05d}"
        self.token = ""
        self.refresh_token = ""
        self.expires_at = 0.0
        self.created: list[str] = []
        self.paid: list[str] = []
        self.orders: list[str] = []
        self.shipments: list[str] = []
        self.reservations: list[str] = []
        self._fetch_token()
        if any(op.startswith(("POST /v2/inventory", "GET /v2/inventory")) for op in WEIGHTS):
            for sku in SKUS:  # stock at start, so reservations and transfers find something
                self._post("/v2/inventory/adjust", "/v2/inventory/adjust", self._restock(sku, 100_000))

    # -- plumbing ------------------------------------------------------------------------------------

    def _fetch_token(self) -> None:
        form = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
        if self.refresh_token and self.expires_at > time.time():
            form = {**form, "grant_type": "refresh_token", "refresh_token": self.refresh_token}
        with self.client.post(
            "/v2/oauth/token", data=form, name="/v2/oauth/token", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"token endpoint answered {response.status_code}")
                gevent.sleep(1.0)
                return
            body = response.json()
            self.token = body["access_token"]
            self.refresh_token = body.get("refresh_token") or ""
            self.expires_at = time.time() + float(body.get("expires_in", 3600))

    def _headers(self, idempotent: bool) -> dict[str, str]:
        if time.time() > self.expires_at - _TOKEN_MARGIN:
            self._fetch_token()
        headers = {"Authorization": f"Bearer {self.token}", "X-OpenClaw-Shop-Id": self.shop}
        if idempotent:
            headers["Idempotency-Key"] = uuid.uuid4().hex
        return headers

    def _send(self, method: str, path: str, name: str, body: Any = None) -> Any:
        PLUGIN.check_budget()
        scheduled = PLUGIN.next_slot()
        context = {"clawcheck_scheduled": scheduled} if scheduled is not None else {}
        kwargs: dict[str, Any] = {"name": name, "context": context, "catch_response": True}
        if body is not None:
            kwargs["json"] = body
        with self.client.request(method, path, headers=self._headers(method == "POST"), **kwargs) as response:
            status = response.status_code
            if status == 429:
                response.failure("429 rate limited")
                wait = response.headers.get("Retry-After", "1")
                gevent.sleep(min(float(wait) if wait.isdigit() else 1.0, 30.0))
                return None
            if status == 401:
                self.expires_at = 0.0  # fetch a new token next time
            if status >= 400:
                response.failure(f"{status}")
                return None
            response.success()
            try:
                return response.json() if status != 204 else {}
            except ValueError:
                return None

    def _post(self, path: str, name: str, body: Any = None) -> Any:
        return self._send("POST", path, name, body)

    def _get(self, path: str, name: str) -> Any:
        return self._send("GET", path, name)

    @staticmethod
    def _restock(sku: str, delta: int) -> dict[str, Any]:
        return {"sku": sku, "warehouse_id": WAREHOUSES[0], "delta": delta, "reason": "restock"}

    # -- tasks, one per operation --------------------------------------------------------------------

    def create_order(self) -> str | None:
        body = {
            "platform": random.choice(PLATFORMS),
            "platform_order_id": f"LT-{uuid.uuid4().hex[:20]}",
            "currency": "USD",
            "buyer": {"name": "Li Wei", "email": "li.wei@example.com", "country": "US"},
            "lines": [{"sku": random.choice(SKUS), "quantity": random.randint(1, 3), "unit_price": "19.99"}],
            "warehouse_id": WAREHOUSES[0],
            "placed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        order = self._post("/v2/orders/create", "/v2/orders/create", body)
        if not order:
            return None
        self.created.append(order["order_id"])
        self.orders = [*self.orders[-49:], order["order_id"]]
        return str(order["order_id"])

    def pay_order(self) -> str | None:
        order_id = self.created.pop() if self.created else self.create_order()
        if order_id and order_id in self.created:
            self.created.remove(order_id)
        if not order_id:
            return None
        if self._post(f"/v2/orders/{order_id}/pay", "/v2/orders/{order_id}/pay"):
            self.paid.append(order_id)
            return order_id
        return None

    def confirm_shipment(self) -> None:
        order_id = self.paid.pop() if self.paid else self.pay_order()
        if order_id and order_id in self.paid:
            self.paid.remove(order_id)
        if not order_id:
            return
        body = {
            "order_id": order_id,
            "carrier": "SF Express",
            "tracking_number": f"SF{uuid.uuid4().hex[:16]}",
        }
        shipment = self._post("/v2/shipments/confirm", "/v2/shipments/confirm", body)
        if shipment:
            self.shipments = [*self.shipments[-49:], shipment["shipment_id"]]

    def adjust_inventory(self) -> None:
        delta = random.choice((5, 10, -1))
        body = {
            "sku": random.choice(SKUS),
            "warehouse_id": WAREHOUSES[0],
            "delta": delta,
            "reason": "correction",
        }
        self._post("/v2/inventory/adjust", "/v2/inventory/adjust", body)

    def get_order(self) -> None:
        order_id = random.choice(self.orders) if self.orders else self.create_order()
        if order_id:
            self._get(f"/v2/orders/{order_id}", "/v2/orders/{order_id}")

    def list_orders(self) -> None:
        self._get("/v2/orders?limit=20", "/v2/orders")

    def get_inventory(self) -> None:
        sku = random.choice(SKUS)
        self._get(f"/v2/inventory/{sku}", "/v2/inventory/{sku}")

    def reserve_inventory(self) -> None:
        body = {"sku": random.choice(SKUS), "warehouse_id": WAREHOUSES[0], "quantity": 1}
        reservation = self._post("/v2/inventory/reserve", "/v2/inventory/reserve", body)
        if reservation:
            self.reservations.append(reservation["reservation_id"])

    def release_inventory(self) -> None:
        if not self.reservations:
            self.reserve_inventory()
        if self.reservations:
            body = {"reservation_id": self.reservations.pop()}
            self._post("/v2/inventory/release", "/v2/inventory/release", body)

    def transfer_inventory(self) -> None:
        body = {
            "sku": random.choice(SKUS),
            "from_warehouse_id": WAREHOUSES[0],
            "to_warehouse_id": WAREHOUSES[1],
            "quantity": 1,
        }
        self._post("/v2/inventory/transfer", "/v2/inventory/transfer", body)

    def get_shipment(self) -> None:
        if self.shipments:
            shipment_id = random.choice(self.shipments)
            self._get(f"/v2/shipments/{shipment_id}", "/v2/shipments/{shipment_id}")
        else:
            self.confirm_shipment()

    def add_shipment_event(self) -> None:
        if not self.shipments:
            self.confirm_shipment()
        if self.shipments:
            shipment_id = random.choice(self.shipments)
            body = {"type": "in_transit", "occurred_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            self._post(f"/v2/shipments/{shipment_id}/events", "/v2/shipments/{shipment_id}/events", body)

    def cancel_order(self) -> None:
        order_id = self.created.pop() if self.created else self.create_order()
        if order_id and order_id in self.created:
            self.created.remove(order_id)
        if order_id:
            body = {"reason": "buyer changed their mind"}
            self._post(f"/v2/orders/{order_id}/cancel", "/v2/orders/{order_id}/cancel", body)

    def refund_order(self) -> None:
        order_id = self.paid.pop() if self.paid else self.pay_order()
        if order_id and order_id in self.paid:
            self.paid.remove(order_id)
        if order_id:
            body = {"amount": "1.00", "reason": "damaged in transit"}
            self._post(f"/v2/orders/{order_id}/refund", "/v2/orders/{order_id}/refund", body)

    def health(self) -> None:
        PLUGIN.check_budget()
        scheduled = PLUGIN.next_slot()
        context = {"clawcheck_scheduled": scheduled} if scheduled is not None else {}
        self.client.get("/healthz", name="/healthz", context=context)


TASKS: dict[str, Callable[[OpenClawUser], Any]] = {
    "POST /v2/orders/create": OpenClawUser.create_order,
    "POST /v2/orders/{order_id}/pay": OpenClawUser.pay_order,
    "POST /v2/shipments/confirm": OpenClawUser.confirm_shipment,
    "POST /v2/inventory/adjust": OpenClawUser.adjust_inventory,
    "GET /v2/orders/{order_id}": OpenClawUser.get_order,
    "GET /v2/orders": OpenClawUser.list_orders,
    "GET /v2/inventory/{sku}": OpenClawUser.get_inventory,
    "POST /v2/inventory/reserve": OpenClawUser.reserve_inventory,
    "POST /v2/inventory/release": OpenClawUser.release_inventory,
    "POST /v2/inventory/transfer": OpenClawUser.transfer_inventory,
    "GET /v2/shipments/{shipment_id}": OpenClawUser.get_shipment,
    "POST /v2/shipments/{shipment_id}/events": OpenClawUser.add_shipment_event,
    "POST /v2/orders/{order_id}/cancel": OpenClawUser.cancel_order,
    "POST /v2/orders/{order_id}/refund": OpenClawUser.refund_order,
    "GET /healthz": OpenClawUser.health,
}
WEIGHTS = _weights()
_unknown = sorted(set(WEIGHTS) - set(TASKS))
if _unknown:
    sys.exit(f"clawcheck load: no task for operation(s) {', '.join(_unknown)}; known: {', '.join(TASKS)}")
OpenClawUser.tasks = {TASKS[op]: weight for op, weight in WEIGHTS.items()}  # type: ignore[assignment]
