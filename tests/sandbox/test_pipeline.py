"""Trace ids on every response, error envelopes, rate limiting and idempotency."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clawcheck.sandbox import Sandbox, SandboxConfig

from .conftest import Api, error_of, new_key, order_body


def test_trace_id_on_success_and_unique_per_request(api: Api) -> None:
    ids = {api.get("/v2/orders").headers["X-OpenClaw-Trace-Id"] for _ in range(3)}
    health = api.http.get("/healthz")
    ids.add(health.headers["X-OpenClaw-Trace-Id"])
    assert len(ids) == 4
    assert health.json()["status"] == "ok"
    assert health.json()["time"].endswith("Z")


def test_unknown_path_is_404_with_envelope(api: Api) -> None:
    for path in ("/nope", "/v2/nope", "/v2/orders/"):
        response = api.get(path)
        assert response.status_code == 404
        error = error_of(response)
        assert (error["code"], error["type"]) == ("NOT_FOUND", "not_found")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/v2/orders/create", "POST"),
        ("GET", "/v2/orders/create", "POST"),  # a literal path is not an order id
        ("GET", "/v2/inventory/adjust", "POST"),
        ("PUT", "/v2/webhooks/subscriptions", "POST, GET"),
        ("POST", "/healthz", "GET"),
    ],
)
def test_wrong_method_is_405_with_allow_and_envelope(api: Api, method: str, path: str, allow: str) -> None:
    response = api.http.request(method, path, headers=api.headers())
    assert response.status_code == 405
    assert response.headers["Allow"] == allow
    error = error_of(response)
    assert (error["code"], error["type"]) == ("METHOD_NOT_ALLOWED", "validation")


def test_a_crash_is_a_500_envelope_with_the_trace_id(caplog: pytest.LogCaptureFixture) -> None:
    def boom(request: Request) -> Response:
        raise RuntimeError("bug")

    sandbox = Sandbox()
    sandbox.app.router.routes.append(Route("/boom", boom))
    with sandbox, caplog.at_level(logging.CRITICAL, logger="clawcheck.sandbox"):
        response = httpx.get(sandbox.base_url + "/boom")
    assert response.status_code == 500
    error = error_of(response)
    assert (error["code"], error["type"]) == ("INTERNAL_ERROR", "platform")


def test_rate_limit_answers_429_with_retry_after() -> None:
    with Sandbox(SandboxConfig(rate_limit=2)) as sandbox:
        api = Api(sandbox.base_url)
        statuses = [api.get("/v2/orders").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        limited = api.get("/v2/orders")
        error = error_of(limited)
        assert (error["code"], error["type"]) == ("RATE_LIMITED", "rate_limit")
        assert int(limited.headers["Retry-After"]) >= 1
        # Per shop: another shop still has its whole bucket; and the token endpoint is exempt.
        api.shop = "shop_other"
        assert api.get("/v2/orders").status_code == 200
        assert api.http.get("/healthz").status_code == 200
        api.issue_token()
        api.close()


def test_idempotent_replay_returns_the_first_response(api: Api) -> None:
    body, key = order_body(), new_key()
    first = api.post("/v2/orders/create", body, key=key)
    again = api.post("/v2/orders/create", body, key=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    listed = api.get("/v2/orders", params={"limit": 100}).json()["data"]
    assert [o["platform_order_id"] for o in listed].count(body["platform_order_id"]) == 1


def test_replay_ignores_json_spacing_and_key_order(api: Api) -> None:
    headers = api.headers(**{"Idempotency-Key": new_key(), "Content-Type": "application/json"})
    compact = b'{"sku":"SKU-X1","warehouse_id":"WH-1","delta":5,"reason":"restock"}'
    spaced = b'{ "reason": "restock", "delta": 5, "warehouse_id": "WH-1", "sku": "SKU-X1" }'
    first = api.http.post("/v2/inventory/adjust", headers=headers, content=compact)
    again = api.http.post("/v2/inventory/adjust", headers=headers, content=spaced)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api.get("/v2/inventory/SKU-X1").json()["total_available"] == 5


def test_key_reuse_with_another_body_or_path_is_409(api: Api) -> None:
    key = new_key()
    assert api.post("/v2/orders/create", order_body(), key=key).status_code == 201
    for path, body in (("/v2/orders/create", order_body()), ("/v2/inventory/reserve", order_body())):
        response = api.post(path, body, key=key)
        assert response.status_code == 409
        error = error_of(response)
        assert (error["code"], error["type"]) == ("IDEMPOTENCY_KEY_REUSED", "conflict")


def test_missing_or_malformed_key_is_400(api: Api) -> None:
    headers = api.headers()
    response = api.http.post("/v2/orders/create", headers=headers, json=order_body())
    assert response.status_code == 400
    assert error_of(response)["code"] == "IDEMPOTENCY_KEY_REQUIRED"
    response = api.post("/v2/orders/create", order_body(), key="has space")
    assert response.status_code == 400
    assert error_of(response)["code"] == "VALIDATION_ERROR"


def test_validation_errors_are_not_stored_but_business_errors_are(api: Api) -> None:
    key = new_key()
    bad = api.post("/v2/orders/create", {**order_body(), "platform": "ebay"}, key=key)
    assert bad.status_code == 400
    body = order_body()
    good = api.post("/v2/orders/create", body, key=key)  # same key, fixed body: runs
    assert good.status_code == 201
    # A 409 is a processed outcome: its replay is the same conflict even after the state moved on.
    order_id = good.json()["order_id"]
    assert api.post(f"/v2/orders/{order_id}/pay").status_code == 200
    conflict_key = new_key()
    first = api.post(f"/v2/orders/{order_id}/pay", key=conflict_key)
    assert first.status_code == 409
    assert api.post(f"/v2/orders/{order_id}/cancel", {}).status_code == 200
    again = api.post(f"/v2/orders/{order_id}/pay", key=conflict_key)
    assert again.status_code == 409
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert error_of(again)["trace_id"] == error_of(first)["trace_id"]


def test_concurrent_requests_with_one_key_execute_once(shared: Sandbox, api: Api) -> None:
    key, body = new_key(), order_body()

    async def burst() -> list[httpx.Response]:
        headers = api.headers(**{"Idempotency-Key": key})
        async with httpx.AsyncClient(base_url=shared.base_url) as client:
            calls = [client.post("/v2/orders/create", json=body, headers=headers) for _ in range(10)]
            return await asyncio.gather(*calls)

    responses = asyncio.run(burst())
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["order_id"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 9


def test_keys_are_scoped_to_the_shop(api: Api) -> None:
    key, body = new_key(), order_body()
    first = api.post("/v2/orders/create", body, key=key)
    api.shop = "shop_second"
    second = api.post("/v2/orders/create", body, key=key)
    assert (first.status_code, second.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in second.headers
    assert second.json()["shop_id"] == "shop_second"
