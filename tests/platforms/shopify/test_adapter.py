"""The reference adapter against the mock over real HTTP, judged by the client-behaviour checks.

Each wrong adapter below breaks exactly one behaviour of the reference one, and exactly the
check for that behaviour fails.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote

import pytest
from tests.platforms.shopify.conftest import DEV

from clawcheck.core.results import Status
from clawcheck.platforms import build_mock
from clawcheck.platforms.behaviour import evaluate
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer

ROOT = Path(__file__).resolve().parents[3]
ADAPTER = ROOT / "examples" / "adapters" / "shopify_adapter.py"


def load_adapter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shopify_adapter", ADAPTER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


adapter = load_adapter()


def statuses(mock: Mock) -> dict[str, Status]:
    return {check.id: check.status for check in evaluate(mock).checks}


def run(adapter_class: Any, *scenarios: str, duration: str = "0") -> tuple[int, Mock]:
    """Run `adapter_class` once against a fresh mock served on loopback; its exit code and mock."""
    mock = build_mock("shopify", scenarios=scenarios)
    with MockServer(mock) as server:
        env = {**server.env(), "CLAWCHECK_DURATION": duration}
        try:
            adapter_class(env).run()
        except adapter.AdapterError:
            return 1, mock
    return 0, mock


def test_reference_adapter_does_the_job_and_passes_every_check() -> None:
    code, mock = run(adapter.Adapter)
    assert code == 0
    shop = mock.platform.state.shops[DEV]
    assert shop.order(5800000000005).fulfillment_status == "fulfilled"  # type: ignore[union-attr]
    assert shop.levels[(46000000001, 71000000001)][0] == 15
    result = statuses(mock)
    assert Status.FAIL not in result.values()
    assert result["client.qps"] == result["client.utc"] == Status.PASS


def test_reference_adapter_retries_5xx_and_follows_awkward_cursors() -> None:
    code, mock = run(adapter.Adapter, "server-errors:every=6", "pagination-edges", "clock-skew")
    assert code == 0
    result = statuses(mock)
    assert result["client.pagination"] == Status.PASS
    assert Status.FAIL not in result.values()
    assert any(e.status == 503 for e in mock.journal.entries())


def test_reference_adapter_waits_the_advertised_time_after_a_429() -> None:
    # Shopify always asks for 2.0 s: one throttle makes this test take a little over 2 s.
    code, mock = run(adapter.Adapter, "rate-limit-burst:every=12,window=0.3")
    assert code == 0
    assert [e.retry_after for e in mock.journal.entries() if e.status == 429] == [2.0]
    result = statuses(mock)
    assert result["client.retry_after"] == Status.PASS
    assert Status.FAIL not in result.values()


@pytest.mark.slow
def test_reference_adapter_keeps_working_under_every_fault_at_once() -> None:
    scenarios = (
        "token-expiry:ttl=1",
        "rate-limit-burst:every=15,window=0.5",
        "server-errors:every=7",
        "pagination-edges",
        "clock-skew",
        "slow:every=10,delay=0.2",
    )
    code, mock = run(adapter.Adapter, *scenarios, duration="3")
    assert code == 0
    result = statuses(mock)
    assert Status.FAIL not in result.values()
    for check in (
        "client.retry_after",
        "client.token_refresh",
        "client.qps",
        "client.utc",
        "client.pagination",
    ):
        assert result[check] == Status.PASS, check


def test_reference_adapter_refreshes_expiring_tokens() -> None:
    code, mock = run(adapter.Adapter, "token-expiry:ttl=0.3", "slow:every=4,delay=0.1")
    assert code == 0
    assert statuses(mock)["client.token_refresh"] == Status.PASS
    assert any(e.operation == "oauth_access_token" for e in mock.journal.entries())


def test_reference_adapter_runs_as_a_program() -> None:
    mock = build_mock("shopify")
    with MockServer(mock) as server:
        env = {**os.environ, **server.env()}
        done = subprocess.run(
            [sys.executable, str(ADAPTER)], env=env, capture_output=True, text=True, timeout=60, check=False
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("shopify adapter: ok")
    secret = mock.credentials["SHOPIFY_CLIENT_SECRET"]
    assert secret not in done.stdout + done.stderr


def test_adapter_fails_with_one_line_on_bad_credentials() -> None:
    mock = build_mock("shopify")
    with MockServer(mock) as server:
        env = {**server.env(), "SHOPIFY_ACCESS_TOKEN": "shpat_wrong", "SHOPIFY_REFRESH_TOKEN": "shprt_wrong"}
        assert adapter.main(env) == 1


# -- wrong adapters: one behaviour broken each ------------------------------------------------


class IgnoresRetryAfter(adapter.Adapter):  # type: ignore[misc, name-defined]
    def wait_after_throttle(self, seconds: float) -> None:
        return


class LocalTimestamps(adapter.Adapter):  # type: ignore[misc, name-defined]
    def timestamp(self, at: float) -> str:
        return super().timestamp(at + 8 * 3600).replace("Z", "+08:00")


class NoPacing(adapter.Adapter):  # type: ignore[misc, name-defined]
    def pace(self) -> None:
        return


class DecodesCursors(adapter.Adapter):  # type: ignore[misc, name-defined]
    def local(self, url: str) -> str:
        return unquote(super().local(url))


class NeverRefreshes(adapter.Adapter):  # type: ignore[misc, name-defined]
    def needs_refresh(self) -> bool:
        return False

    def refresh(self) -> None:
        return


@pytest.mark.parametrize(
    ("wrong", "scenarios", "duration", "check"),
    [
        (IgnoresRetryAfter, ("rate-limit-burst:every=3,window=0.3",), "0", "client.retry_after"),
        (LocalTimestamps, (), "0", "client.utc"),
        (NoPacing, (), "0.2", "client.qps"),
        (DecodesCursors, ("pagination-edges",), "0", "client.pagination"),
        (NeverRefreshes, ("token-expiry:ttl=0.2", "slow:every=3,delay=0.15"), "0", "client.token_refresh"),
    ],
)
def test_each_broken_behaviour_fails_its_check(
    wrong: Any, scenarios: tuple[str, ...], duration: str, check: str
) -> None:
    _, mock = run(wrong, *scenarios, duration=duration)
    result = statuses(mock)
    assert result[check] == Status.FAIL
    assert [name for name, status in result.items() if status == Status.FAIL] == [check]
