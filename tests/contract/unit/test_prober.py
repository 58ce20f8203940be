"""ContractRun as the Prober of the probe checks, against a real sandbox."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from clawcheck.contract.checks import CHECKS, CheckFailed, CheckInput, CheckKind, Prober, load_all
from clawcheck.contract.client import TargetClient
from clawcheck.contract.exchange import Exchange, SentRequest
from clawcheck.contract.run import ContractRun
from clawcheck.contract.settings import resolve_settings
from clawcheck.contract.specindex import SpecIndex
from clawcheck.sandbox import Sandbox, SandboxConfig

from .helpers import fresh_shop

CREATE = "POST /v2/orders/create"


@pytest.fixture
def index(bundled_index: SpecIndex) -> SpecIndex:
    return bundled_index


@contextmanager
def contract_run_on(sandbox: Sandbox, index: SpecIndex) -> Iterator[ContractRun]:
    settings = resolve_settings(target=None, embedded_url=sandbox.base_url, shop_id=fresh_shop(), env={})
    run = ContractRun(TargetClient(settings), index)
    try:
        yield run
    finally:
        run.close()


@contextmanager
def contract_run(index: SpecIndex, fault: str) -> Iterator[ContractRun]:
    with Sandbox(SandboxConfig(faults=frozenset({fault}))) as sandbox, contract_run_on(sandbox, index) as run:
        yield run


def create_order(run: ContractRun) -> Exchange:
    client = run.client
    shop = client.next_shop()
    body = {
        "platform": "shopify", "platform_order_id": f"SHOP-{uuid.uuid4().hex[:8]}", "currency": "USD",
        "buyer": {"name": "Li Wei", "country": "US"},
        "lines": [{"sku": "SKU-RED-M", "quantity": 2, "unit_price": "19.99"}],
        "warehouse_id": "WH-SZ-01", "placed_at": "2026-03-19T08:30:00Z",
    }  # fmt: skip
    headers = {
        **client.auth_headers(shop),
        "Idempotency-Key": str(uuid.uuid4()),
        "Content-Type": "application/json",
    }
    sent = SentRequest("POST", client.url("/v2/orders/create"), headers, json.dumps(body).encode())
    exchange = client.send(CREATE, sent, shop=shop)
    assert exchange.status == 201, exchange.body
    return exchange


def probe(run: ContractRun, check_id: str, exchange: Exchange) -> bool:
    prober: Prober = run
    result = CHECKS.get(check_id).fn(CheckInput(exchange, run.index.info(exchange.operation), prober))
    assert isinstance(result, bool)
    return result


def test_prober_methods_on_a_created_order(clean_sandbox: Sandbox, index: SpecIndex) -> None:
    with contract_run_on(clean_sandbox, index) as run:
        created = create_order(run)
        (read,) = run.reads(created)
        assert read.operation == "GET /v2/orders/{order_id}"
        assert read.status == 200
        assert read.json() == created.json()
        assert read.request.header("X-OpenClaw-Shop-Id") == created.request.header("X-OpenClaw-Shop-Id")
        mutated = run.mutated_body(created)
        assert mutated is not None
        original, changed = created.request.json(), json.loads(mutated)
        assert {k for k in original if original[k] != changed[k]} == {"platform_order_id"}
        assert run.fresh_token() == run.client.token()
        assert run.recorder.requests == 1  # the read was seen


def test_every_probe_check_passes_on_a_clean_sandbox(clean_sandbox: Sandbox, index: SpecIndex) -> None:
    load_all()
    with contract_run_on(clean_sandbox, index) as run:
        created = create_order(run)
        for check in (c for c in CHECKS if c.kind is CheckKind.PROBE):
            assert probe(run, check.id, created) is True, check.id


@pytest.mark.parametrize(
    ("fault", "check_id", "message"),
    [
        (
            "no-idempotency",
            "idempotency.replay",
            "replay with the same Idempotency-Key answered 409 DUPLICATE_ORDER; ",
        ),
        (
            "idempotency-ignores-body",
            "idempotency.key_reuse",
            "the same Idempotency-Key with a different body answered 201",
        ),
        ("auth-optional", "auth.missing", "the same request without Authorization answered 201"),
        ("accept-invalid-token", "auth.invalid_token", "the same request with an unknown token answered 201"),
    ],
)
def test_each_probe_check_catches_its_fault(
    index: SpecIndex, fault: str, check_id: str, message: str
) -> None:
    with contract_run(index, fault) as run:
        created = create_order(run)
        with pytest.raises(CheckFailed) as failed:
            probe(run, check_id, created)
    assert failed.value.message.startswith(message)
    assert run.client.settings.client_secret not in failed.value.message
