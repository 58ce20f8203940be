"""The reference adapter does the job against the mock, and its journal passes the behaviour
checks; each adapter with exactly one behaviour broken fails exactly the check about it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from clawcheck.core.results import Status
from clawcheck.platforms import build_mock
from clawcheck.platforms.behaviour import evaluate
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import in_process

ADAPTER = Path(__file__).resolve().parents[3] / "examples" / "adapters" / "shopee_adapter.py"
ALL_SCENARIOS = [
    "token-expiry:ttl=2",
    "rate-limit-burst:every=9,window=0.5",
    "pagination-edges",
    "server-errors:every=7",
    "clock-skew",
    "slow:every=6,delay=0.2",
]


@pytest.fixture(scope="module")
def adapter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shopee_reference_adapter", ADAPTER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def statuses(mock: Mock) -> dict[str, Status]:
    return {check.id: check.status for check in evaluate(mock).checks}


def ready_to_ship(mock: Mock) -> int:
    shop = int(mock.credentials["SHOPEE_SHOP_ID"])
    return sum(1 for o in mock.platform.state.shop_orders(shop) if o.status == "READY_TO_SHIP")


def run_in_process(
    adapter_class: type, scenarios: str = "", duration: float = 0, **env: str
) -> tuple[Mock, str]:
    """Run an adapter against an in-process mock (httpx to the real host names); '' or the error."""
    with in_process("shopee", scenarios=[scenarios] if scenarios else []) as mock:
        settings: Mapping[str, str] = {**mock.adapter_env(), "CLAWCHECK_DURATION": str(duration), **env}
        try:
            adapter_class(settings).run()
        except Exception as exc:  # the adapter's failure is what the broken variants produce
            return mock, f"{type(exc).__name__}: {exc}"
    return mock, ""


# -- the reference adapter ---------------------------------------------------------------------


def test_the_adapter_ships_an_order_over_real_http(adapter: ModuleType) -> None:
    mock = build_mock("shopee")
    with MockServer(mock) as server:
        before = ready_to_ship(mock)
        adapter.Adapter({**server.env(), "CLAWCHECK_DURATION": "0"}).run()
    assert ready_to_ship(mock) == before - 1
    result = evaluate(mock)
    assert result.passed, [(c.id, c.message) for c in result.checks if c.status == Status.FAIL]
    checks = statuses(mock)
    for applicable in ("client.qps", "client.environment_host", "client.signing", "client.utc"):
        assert checks[applicable] == Status.PASS
    operations = {e.operation for e in mock.journal.entries()}
    assert {
        "refresh_access_token",
        "get_order_list",
        "get_order_detail",
        "update_stock",
        "ship_order",
    } <= operations


def test_a_failing_run_exits_1_with_one_line(
    adapter: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setattr(os, "environ", {"CLAWCHECK_ENV": "sandbox"})
    assert adapter.main() == 1
    err = capsys.readouterr().err
    assert err.startswith("shopee adapter: KeyError")
    assert err.count("\n") == 1


@pytest.mark.slow
def test_the_script_exits_0_as_a_subprocess() -> None:
    mock = build_mock("shopee")
    with MockServer(mock) as server:
        env = {**os.environ, **server.env(), "CLAWCHECK_DURATION": "0"}
        done = subprocess.run(
            [sys.executable, str(ADAPTER)], env=env, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 0, done.stderr
    assert evaluate(mock).passed


def scenario_run(adapter: ModuleType, scenario: str, work: Callable[[Any], object]) -> Mock:
    """`work` done by the reference adapter against an in-process mock under `scenario`."""
    with in_process("shopee", scenarios=[scenario]) as mock:
        client = adapter.Adapter({**mock.adapter_env(), "CLAWCHECK_DURATION": "0"})
        try:
            work(client)
        finally:
            client.client.close()
    result = evaluate(mock)
    assert result.passed, [(c.id, c.message) for c in result.checks if c.status == Status.FAIL]
    return mock


def test_the_adapter_follows_awkward_cursors(adapter: ModuleType) -> None:
    found: list[list[dict[str, Any]]] = []
    mock = scenario_run(adapter, "pagination-edges", lambda a: found.append(a.list_orders()))
    assert len(found[0]) == 7
    assert statuses(mock)["client.pagination"] == Status.PASS


def list_three_times(client: Any) -> None:
    for _ in range(3):
        client.list_orders()


def test_the_adapter_waits_after_error_rate_limit(adapter: ModuleType) -> None:
    mock = scenario_run(adapter, "rate-limit-burst:every=3,window=0.5", list_three_times)
    assert [e.status for e in mock.journal.entries() if e.operation == "get_order_list"] == [
        200,
        200,
        429,
        200,
    ]
    assert statuses(mock)["client.retry_after"] == Status.PASS


def test_the_adapter_retries_error_server(adapter: ModuleType) -> None:
    mock = scenario_run(adapter, "server-errors:every=3", list_three_times)
    assert [e.status for e in mock.journal.entries() if e.operation == "get_order_list"] == [
        200,
        200,
        503,
        200,
    ]


def test_the_adapter_refreshes_short_lived_tokens(adapter: ModuleType) -> None:
    def keep_listing(client: Any) -> None:
        until = time.monotonic() + 1.2
        while time.monotonic() < until:
            client.list_orders()

    mock = scenario_run(adapter, "token-expiry:ttl=0.5", keep_listing)
    assert sum(e.operation == "refresh_access_token" for e in mock.journal.entries()) >= 3
    assert statuses(mock)["client.token_refresh"] == Status.PASS


@pytest.mark.slow
def test_every_scenario_at_once_over_real_http_leaves_no_check_skipped(adapter: ModuleType) -> None:
    mock = build_mock("shopee", scenarios=ALL_SCENARIOS)
    with MockServer(mock) as server:
        adapter.Adapter({**server.env(), "CLAWCHECK_DURATION": "5"}).run()
    checks = statuses(mock)
    assert set(checks.values()) == {Status.PASS}, checks


# -- one behaviour broken at a time -----------------------------------------------------------


def broken(adapter: ModuleType, **methods: Any) -> type:
    return type("Broken", (adapter.Adapter,), methods)


def test_not_waiting_after_a_429_fails_retry_after(adapter: ModuleType) -> None:
    impatient = broken(adapter, wait_after_throttle=lambda self, seconds: None)
    mock, _ = run_in_process(impatient, "rate-limit-burst:every=4,window=0.5")
    assert statuses(mock)["client.retry_after"] == Status.FAIL


def test_a_wrong_sign_fails_signing(adapter: ModuleType) -> None:
    def sign(self: Any, path: str, timestamp: int, public: bool) -> str:
        return str(adapter.Adapter.sign(self, path.upper(), timestamp, public))

    mock, failure = run_in_process(broken(adapter, sign=sign))
    assert "error_sign" in failure
    assert statuses(mock)["client.signing"] == Status.FAIL


def test_local_time_fails_utc(adapter: ModuleType) -> None:
    mock, failure = run_in_process(broken(adapter, timestamp=lambda self: int(time.time()) + 8 * 3600))
    assert "Timestamp is expired" in failure
    assert statuses(mock)["client.utc"] == Status.FAIL


def test_the_production_host_fails_environment_host(adapter: ModuleType) -> None:
    mock, failure = run_in_process(broken(adapter, host=lambda self: "https://partner.shopeemobile.com"))
    assert "invalid_partner_id" in failure
    assert statuses(mock)["client.environment_host"] == Status.FAIL


def test_never_refreshing_fails_token_refresh(adapter: ModuleType) -> None:
    stale = broken(adapter, needs_refresh=lambda self: False, forget_token=lambda self: None)
    with in_process("shopee", scenarios=["token-expiry:ttl=0.5"]) as mock:
        time.sleep(0.6)  # the seeded token has expired
        with pytest.raises(adapter.AdapterError):
            stale({**mock.adapter_env(), "CLAWCHECK_DURATION": "0"}).run()
    assert statuses(mock)["client.token_refresh"] == Status.FAIL


def test_an_unencoded_cursor_fails_pagination(adapter: ModuleType) -> None:
    raw = broken(adapter, encode_query=lambda self, query: "&".join(f"{k}={v}" for k, v in query.items()))
    mock, failure = run_in_process(raw, "pagination-edges")
    assert "cursor is invalid" in failure
    assert statuses(mock)["client.pagination"] == Status.FAIL


def test_not_pacing_fails_qps(adapter: ModuleType) -> None:
    mock, _ = run_in_process(broken(adapter, pace=lambda self: None), duration=0.6)
    assert statuses(mock)["client.qps"] == Status.FAIL
