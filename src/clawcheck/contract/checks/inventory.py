"""Stock never goes negative: in any response, and under concurrent reservations."""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from clawcheck.contract.checks._base import (
    CheckFailed,
    CheckInput,
    CheckKind,
    NotVerifiable,
    ScenarioInput,
    check,
)
from clawcheck.contract.client import TargetClient
from clawcheck.contract.exchange import Exchange, SentRequest

STOCK = 5
CONCURRENT = 8  # more than STOCK, and within one 10-request burst of a shop's bucket
WAREHOUSE = "WH-CLAWCHECK"


def _levels(data: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object that looks like an inventory level (has on_hand and available)."""
    if isinstance(data, dict):
        if "on_hand" in data and "available" in data:
            yield pointer or "/", data
        for key, value in data.items():
            yield from _levels(value, f"{pointer}/{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _levels(value, f"{pointer}/{index}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _level_problem(level: dict[str, Any]) -> str | None:
    numbers = {k: level.get(k) for k in ("on_hand", "reserved", "available")}
    negative = [f"{k}={v}" for k, v in numbers.items() if _is_number(v) and v < 0]  # type: ignore[operator]
    if negative:
        return "negative stock: " + ", ".join(negative)
    on_hand, reserved, available = numbers.values()
    if all(isinstance(v, int) for v in numbers.values()) and available != on_hand - reserved:  # type: ignore[operator]
        return f"available={available} but on_hand - reserved = {on_hand - reserved}"  # type: ignore[operator]
    return None


@check(
    "inventory.non_negative",
    title="Stock never goes negative, also under concurrent requests",
    title_zh="库存在并发下也不为负",
    kind=CheckKind.RESPONSE,
)
def non_negative_levels(ctx: CheckInput) -> bool:
    """Every inventory level in a response has on_hand, reserved, available >= 0 and
    available = on_hand - reserved."""
    body = ctx.exchange.json()
    found = False
    for pointer, level in _levels(body):
        found = True
        problem = _level_problem(level)
        if problem:
            raise CheckFailed(f"{problem} at {pointer} (sku {level.get('sku')!r})", ctx.exchange)
    return found


def concurrent_reservations(ctx: ScenarioInput) -> str:
    """More concurrent reservations than stock: at most the stock succeeds and nothing goes below zero."""
    client, settings = ctx.client, ctx.settings
    shop = f"shop_ccstock{secrets.token_hex(4)}" if settings.embedded else settings.shops[0]
    sku = f"CC-STOCK-{secrets.token_hex(4).upper()}"
    seeded = _post(
        client,
        shop,
        "/v2/inventory/adjust",
        {"sku": sku, "warehouse_id": WAREHOUSE, "delta": STOCK, "reason": "restock"},
    )
    ctx.observe(seeded)
    if seeded.status != 200:
        raise NotVerifiable(
            f"could not stock a test SKU: POST /v2/inventory/adjust answered {seeded.summary()}"
        )
    if not settings.embedded:
        time.sleep(1.1)  # a full rate-limit bucket, so the burst really arrives at once
    gate = threading.Barrier(CONCURRENT)

    def reserve(_: int) -> Exchange:
        body = {"sku": sku, "warehouse_id": WAREHOUSE, "quantity": 1}
        request = _request(client, shop, "/v2/inventory/reserve", body)
        gate.wait(timeout=10)
        return client.send("POST /v2/inventory/reserve", request)

    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        results = list(pool.map(reserve, range(CONCURRENT)))
    for exchange in results:
        ctx.observe(exchange)
    server_errors = [ex for ex in results if ex.status >= 500]
    if server_errors:
        raise CheckFailed(f"concurrent reservations got {server_errors[0].summary()}", server_errors[0])
    granted = [ex for ex in results if 200 <= ex.status < 300]
    attempted = [ex for ex in results if ex.status != 429]
    read, level = _read_level(client, shop, sku)
    ctx.observe(read)
    if level is None:
        raise CheckFailed(f"GET /v2/inventory/{sku} after the burst answered {read.summary()}", read)
    problem = _level_problem(level)
    if problem:
        raise CheckFailed(
            f"after {len(attempted)} concurrent reservations of 1 against {STOCK}: {problem}", read
        )
    if len(granted) > STOCK or level.get("available") != STOCK - len(granted):
        raise CheckFailed(
            f"{len(granted)} of {len(attempted)} concurrent reservations of 1 succeeded "
            f"against {STOCK} in stock; "
            f"available is now {level.get('available')}",
            granted[-1] if granted else read,
        )
    if len(attempted) <= STOCK:
        raise NotVerifiable(
            f"only {len(attempted)} of {CONCURRENT} concurrent reservations got past the rate limit; "
            "an overdraw could not be attempted"
        )
    return f"{len(granted)} of {len(attempted)} concurrent reservations succeeded against {STOCK} in stock"


check(
    "inventory.concurrency",
    title="Concurrent reservations never oversell stock",
    title_zh="并发预占不会超卖",
    kind=CheckKind.SCENARIO,
)(concurrent_reservations)


def _request(client: TargetClient, shop: str, path: str, body: dict[str, Any]) -> SentRequest:
    headers = {
        **client.auth_headers(shop),
        "Idempotency-Key": str(uuid.uuid4()),
        "Content-Type": "application/json",
    }
    return SentRequest("POST", client.url(path), headers, json.dumps(body).encode())


def _post(client: TargetClient, shop: str, path: str, body: dict[str, Any]) -> Exchange:
    return client.send_politely(f"POST {path}", _request(client, shop, path, body), shop=shop)[-1]


def _read_level(client: TargetClient, shop: str, sku: str) -> tuple[Exchange, dict[str, Any] | None]:
    exchange, body = client.get_json(f"/v2/inventory/{sku}", shop=shop)
    for _, level in _levels(body):
        if level.get("warehouse_id") == WAREHOUSE:
            return exchange, level
    return exchange, None
