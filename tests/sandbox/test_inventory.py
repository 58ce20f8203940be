"""Inventory: adjust, reserve, release, transfer, and non-negative stock under concurrency."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from clawcheck.sandbox import Sandbox, SandboxConfig

from .conftest import FAST, Api, error_of, new_key

SKU, WH, OTHER = "SKU-CONC-1", "WH-T-01", "WH-T-02"


def test_adjust_creates_rows_and_moves_on_hand(fresh_api: Api) -> None:
    api = fresh_api
    level = api.post(
        "/v2/inventory/adjust",
        {"sku": "SKU-NEW", "warehouse_id": "WH-NEW-1", "delta": 12, "reason": "restock"},
    )
    assert level.status_code == 200
    assert {k: level.json()[k] for k in ("on_hand", "reserved", "available")} == {
        "on_hand": 12,
        "reserved": 0,
        "available": 12,
    }
    down = api.post(
        "/v2/inventory/adjust",
        {"sku": "SKU-NEW", "warehouse_id": "WH-NEW-1", "delta": -2, "reason": "damage"},
    )
    assert down.json()["on_hand"] == 10
    stock = api.get("/v2/inventory/SKU-NEW").json()
    assert (stock["sku"], stock["total_available"], len(stock["levels"])) == ("SKU-NEW", 10, 1)


@pytest.mark.parametrize(
    "body",
    [
        {"sku": "SKU-RED-M", "warehouse_id": "WH-SZ-01", "delta": -121, "reason": "sale"},
        {"sku": "SKU-NEVER", "warehouse_id": "WH-SZ-01", "delta": -1, "reason": "correction"},
    ],
)
def test_adjust_below_available_is_409_and_changes_nothing(fresh_api: Api, body: dict[str, Any]) -> None:
    response = fresh_api.post("/v2/inventory/adjust", body)
    assert response.status_code == 409
    assert error_of(response)["code"] == "INSUFFICIENT_STOCK"
    assert fresh_api.get("/v2/inventory/SKU-RED-M").json()["total_available"] == 160
    assert fresh_api.get("/v2/inventory/SKU-NEVER").status_code == 404


def test_reserve_and_release(fresh_api: Api) -> None:
    api = fresh_api
    held = api.post(
        "/v2/inventory/reserve", {"sku": "SKU-GREEN-S", "warehouse_id": "WH-SZ-01", "quantity": 60}
    )
    assert held.status_code == 201
    reservation = held.json()
    assert reservation["reservation_id"].startswith("rsv_")
    assert (reservation["status"], reservation["order_id"], reservation["released_at"]) == (
        "active",
        None,
        None,
    )
    more = api.post(
        "/v2/inventory/reserve", {"sku": "SKU-GREEN-S", "warehouse_id": "WH-SZ-01", "quantity": 1}
    )
    assert error_of(more)["code"] == "INSUFFICIENT_STOCK"
    # Reserved stock cannot be adjusted away either.
    adjust = api.post(
        "/v2/inventory/adjust",
        {"sku": "SKU-GREEN-S", "warehouse_id": "WH-SZ-01", "delta": -1, "reason": "sale"},
    )
    assert adjust.status_code == 409
    released = api.post("/v2/inventory/release", {"reservation_id": reservation["reservation_id"]}).json()
    assert released["status"] == "released"
    assert released["released_at"].endswith("Z")
    level = api.get("/v2/inventory/SKU-GREEN-S").json()["levels"][0]
    assert (level["on_hand"], level["reserved"], level["available"]) == (60, 0, 60)


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        (
            "/v2/inventory/reserve",
            {"sku": "SKU-RED-M", "warehouse_id": "WH-XX-99", "quantity": 1},
            "SKU_NOT_FOUND",
        ),
        (
            "/v2/inventory/reserve",
            {"sku": "SKU-RED-M", "warehouse_id": "WH-SZ-01", "quantity": 1, "order_id": "ord_nope"},
            "ORDER_NOT_FOUND",
        ),
        ("/v2/inventory/release", {"reservation_id": "rsv_nope"}, "RESERVATION_NOT_FOUND"),
        (
            "/v2/inventory/transfer",
            {
                "sku": "SKU-NONE",
                "from_warehouse_id": "WH-SZ-01",
                "to_warehouse_id": "WH-LA-01",
                "quantity": 1,
            },
            "SKU_NOT_FOUND",
        ),
    ],
)
def test_not_found_codes(api: Api, path: str, body: dict[str, Any], code: str) -> None:
    response = api.post(path, body)
    assert response.status_code == 404
    assert error_of(response)["code"] == code


def test_get_unknown_or_malformed_sku(api: Api) -> None:
    assert error_of(api.get("/v2/inventory/SKU-UNKNOWN"))["code"] == "SKU_NOT_FOUND"
    assert api.get("/v2/inventory/bad%20sku").status_code == 400


def test_transfer_moves_on_hand_and_creates_the_destination(fresh_api: Api) -> None:
    api = fresh_api
    body = {
        "sku": "SKU-BLUE-L",
        "from_warehouse_id": "WH-SZ-01",
        "to_warehouse_id": "WH-NY-02",
        "quantity": 30,
    }
    moved = api.post("/v2/inventory/transfer", body).json()
    assert moved["transfer_id"].startswith("trf_")
    assert (moved["from"]["on_hand"], moved["to"]["on_hand"], moved["quantity"]) == (50, 30, 30)
    assert api.get("/v2/inventory/SKU-BLUE-L").json()["total_available"] == 105
    too_many = api.post("/v2/inventory/transfer", {**body, "quantity": 51})
    assert error_of(too_many)["code"] == "INSUFFICIENT_STOCK"
    same = api.post("/v2/inventory/transfer", {**body, "to_warehouse_id": "WH-SZ-01"})
    assert same.status_code == 400
    assert error_of(same)["code"] == "VALIDATION_ERROR"


async def _storm(base_url: str, headers: dict[str, str], count: int) -> list[httpx.Response]:
    """`count` concurrent requests that each try to take one unit out of (SKU, WH)."""
    bodies = [
        ("/v2/inventory/reserve", {"sku": SKU, "warehouse_id": WH, "quantity": 1}),
        ("/v2/inventory/adjust", {"sku": SKU, "warehouse_id": WH, "delta": -1, "reason": "sale"}),
        (
            "/v2/inventory/transfer",
            {"sku": SKU, "from_warehouse_id": WH, "to_warehouse_id": OTHER, "quantity": 1},
        ),
    ]
    limits = httpx.Limits(max_connections=count)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=10.0) as client:
        calls = [
            client.post(path, json=body, headers={**headers, "Idempotency-Key": new_key()})
            for path, body in (bodies[i % 3] for i in range(count))
        ]
        return await asyncio.gather(*calls)


def _race(config: SandboxConfig) -> tuple[list[httpx.Response], dict[str, Any]]:
    """Put 10 units in (SKU, WH), storm it with 50 takers; the responses and the final level."""
    with Sandbox(config) as sandbox:
        api = Api(sandbox.base_url)
        seeded = api.post(
            "/v2/inventory/adjust", {"sku": SKU, "warehouse_id": WH, "delta": 10, "reason": "restock"}
        )
        assert seeded.status_code == 200
        responses = asyncio.run(_storm(sandbox.base_url, api.headers(), 50))
        levels = {lv["warehouse_id"]: lv for lv in api.get(f"/v2/inventory/{SKU}").json()["levels"]}
        api.close()
    return responses, levels[WH]


def test_stock_never_negative_under_50_concurrent_requests() -> None:
    responses, level = _race(SandboxConfig(rate_limit=FAST))
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 201, 409}
    assert statuses.count(409) == 40  # the 10 units went out, not one more
    assert level["available"] == 0
    assert level["on_hand"] >= 0
    assert level["reserved"] >= 0
    for response in responses:
        body = response.json()
        for shown in (body, body.get("from", {})):
            assert shown.get("available", 0) >= 0


def test_racy_inventory_fault_really_overdraws() -> None:
    responses, level = _race(SandboxConfig(rate_limit=FAST, faults=frozenset({"racy-inventory"})))
    assert level["available"] < 0
    assert sum(r.status_code in (200, 201) for r in responses) > 10
    shown = [r.json().get("available", r.json().get("from", {}).get("available", 0)) for r in responses]
    assert min(shown) < 0  # the negative number is visible in responses too
