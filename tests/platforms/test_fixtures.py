"""The plugin's `clawcheck_mock` and `clawcheck_mock_server` fixtures, as a user's test uses them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from clawcheck.platforms.behaviour import evaluate


def _shopify_orders(base: str, token: str) -> httpx.Response:
    return httpx.get(f"{base}/admin/api/2024-10/orders.json", headers={"X-Shopify-Access-Token": token})


def test_clawcheck_mock_answers_the_real_host_in_process(clawcheck_mock: Callable[..., Any]) -> None:
    mock = clawcheck_mock("shopify")
    token = next(v for k, v in mock.credentials.items() if k.endswith("ACCESS_TOKEN"))
    host = mock.platform.hosts[0].name
    response = _shopify_orders(f"https://{host}", token)
    assert response.status_code == 200
    assert response.json()["orders"]
    assert len(mock.journal) == 1
    assert {r.id for r in evaluate(mock).failed()} == set()


def test_clawcheck_mock_server_serves_over_loopback(clawcheck_mock_server: Callable[..., Any]) -> None:
    server = clawcheck_mock_server("shopify")
    env = server.env()
    token = next(v for k, v in env.items() if k.endswith("ACCESS_TOKEN"))
    response = _shopify_orders(env["CLAWCHECK_BASE_URL"], token)
    assert response.status_code == 200
    assert server.mock.journal.entries()[0].status == 200


def test_a_wrong_token_is_journaled_and_refused(clawcheck_mock: Callable[..., Any]) -> None:
    mock = clawcheck_mock("shopify")
    response = _shopify_orders(f"https://{mock.platform.hosts[0].name}", "shpat_not_a_token")
    assert response.status_code == 401
    assert mock.journal.entries()[0].token_state == "invalid"
