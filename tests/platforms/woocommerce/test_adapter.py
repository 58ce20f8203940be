"""The reference adapter passes against the mock, and each behaviour check catches it broken in its way."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from clawcheck.core.results import Status, SuiteResult
from clawcheck.platforms.behaviour import evaluate
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import intercept_httpx
from clawcheck.platforms.woocommerce import WooCommerce

ADAPTER_PATH = Path(__file__).parents[3] / "examples" / "adapters" / "woocommerce_adapter.py"


def load_adapter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("woocommerce_adapter", ADAPTER_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


adapter = load_adapter()


def run(
    adapter_class: Any = adapter.Adapter, scenarios: Iterable[str] = (), environment: str = "sandbox"
) -> tuple[SuiteResult, Mock, str]:
    """Serve the mock over real HTTP, run the adapter in this process, judge the journal."""
    mock = Mock(WooCommerce, scenarios=scenarios, environment=environment)
    error = ""
    with MockServer(mock) as server:
        try:
            with adapter_class({**server.env(), "CLAWCHECK_DURATION": "0"}) as client:
                client.run()
        except adapter.AdapterError as exc:
            error = str(exc)
    return evaluate(mock), mock, error


def statuses(result: SuiteResult) -> dict[str, Status]:
    return {record.id: record.status for record in result.checks}


def test_the_reference_adapter_passes_over_real_http() -> None:
    result, mock, error = run()
    assert error == ""
    assert result.passed, [(r.id, r.message) for r in result.failed()]
    found = statuses(result)
    for check in ("client.qps", "client.environment_host", "client.signing", "client.utc"):
        assert found[check] is Status.PASS, check
    order = next(o for o in mock.platform.state.orders.values() if o.status == "completed" and o.meta)
    assert order.meta[0].key == "_clawcheck_tracking"
    assert order.notes[0].customer_note
    product = next(p for p in mock.platform.state.products.values() if p.sku == adapter.STOCK_SKU)
    assert product.stock_quantity == 11


def test_the_reference_adapter_passes_in_process_over_https() -> None:
    mock = Mock(WooCommerce, environment="production")
    env = {**mock.adapter_env(), "CLAWCHECK_DURATION": "0"}
    with intercept_httpx(mock), adapter.Adapter(env) as client:
        client.run()
    assert {e.host for e in mock.journal.entries()} == {"shop.clawcheck.test"}
    assert {(e.token_state, e.signature) for e in mock.journal.entries()} == {("valid", None)}
    assert evaluate(mock).passed


@pytest.mark.parametrize(
    ("scenario", "judged"),
    [
        ("rate-limit-burst:every=10,window=0.5", "client.retry_after"),
        ("server-errors:every=4", "client.signing"),
        ("pagination-edges", "client.utc"),
        ("clock-skew", "client.signing"),
    ],
)
def test_the_reference_adapter_copes_with_each_scenario(scenario: str, judged: str) -> None:
    result, _mock, error = run(scenarios=[scenario])
    assert error == ""
    assert result.passed, [(r.id, r.message) for r in result.failed()]
    assert statuses(result)[judged] is Status.PASS


def test_the_adapter_as_a_subprocess_exits_0() -> None:
    mock = Mock(WooCommerce)
    with MockServer(mock) as server:
        done = subprocess.run(
            [sys.executable, str(ADAPTER_PATH)],
            env={**server.env(), "CLAWCHECK_DURATION": "0", "PATH": ""},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert (done.returncode, done.stderr) == (0, "")


# -- broken in exactly one way ------------------------------------------------------------


class WrongHost(adapter.Adapter):  # type: ignore[misc, name-defined]
    def host(self) -> str:
        return adapter.STORE_HOSTS["production"]  # type: ignore[no-any-return]


class BadSignature(adapter.Adapter):  # type: ignore[misc, name-defined]
    def sign(self, method: str, url: str, pairs: list[tuple[str, str]]) -> str:
        return super().sign(method, url.replace("http://", "https://"), pairs)  # type: ignore[no-any-return]


class LocalClock(adapter.Adapter):  # type: ignore[misc, name-defined]
    def now(self) -> float:
        return super().now() + 8 * 3600  # type: ignore[no-any-return]  # Asia/Shanghai read as UTC


class IgnoresRetryAfter(adapter.Adapter):  # type: ignore[misc, name-defined]
    def wait_after_throttle(self, seconds: float) -> None:
        pass


class NoPacing(adapter.Adapter):  # type: ignore[misc, name-defined]
    def pace(self) -> None:
        pass

    def run(self) -> None:
        for _ in range(9):  # 27 requests at once: two over the burst of 25
            self.list_orders()


@pytest.mark.parametrize(
    ("broken", "scenarios", "caught"),
    [
        (WrongHost, (), "client.environment_host"),
        (BadSignature, (), "client.signing"),
        (LocalClock, (), "client.utc"),
        (IgnoresRetryAfter, ("rate-limit-burst:every=6,window=0.5",), "client.retry_after"),
        (NoPacing, (), "client.qps"),
    ],
)
def test_each_broken_adapter_is_caught(broken: type, scenarios: tuple[str, ...], caught: str) -> None:
    result, _, _ = run(broken, scenarios)
    assert statuses(result)[caught] is Status.FAIL, [(r.id, r.status, r.message) for r in result.checks]
