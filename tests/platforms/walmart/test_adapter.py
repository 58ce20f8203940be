"""The reference adapter against the mock over real HTTP, judged by the behaviour checks.

Each broken variant is the reference adapter with exactly one behaviour wrong; the check
that owns that behaviour must fail.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from clawcheck.core.results import Status, SuiteResult
from clawcheck.platforms import build_mock
from clawcheck.platforms.behaviour import evaluate
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.walmart import PRODUCTION_HOST

ADAPTER_PATH = Path(__file__).resolve().parents[3] / "examples" / "adapters" / "walmart_adapter.py"


def load_adapter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("walmart_adapter", ADAPTER_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their annotations through sys.modules
    spec.loader.exec_module(module)
    return module


adapter = load_adapter()


@contextmanager
def served(
    scenarios: tuple[str, ...] = (), environment: str = "sandbox"
) -> Iterator[tuple[Mock, dict[str, str]]]:
    mock = build_mock("walmart", scenarios=scenarios, environment=environment)  # real clocks
    with MockServer(mock) as server:
        yield mock, {**server.env(), "CLAWCHECK_DURATION": "0"}


def statuses(result: SuiteResult) -> dict[str, Status]:
    return {check.id: check.status for check in result.checks}


def run_variant(cls: type[Any], env: dict[str, str]) -> None:
    """Run an adapter class to the end; a broken one may give up, which is its own business."""
    instance = cls(adapter.Config.from_env(env))
    with instance.client, suppress(adapter.AdapterError, httpx.HTTPError):
        instance.run()


def test_the_adapter_passes_one_pass() -> None:
    with served() as (mock, env):
        assert adapter.main(env) == 0
    result = evaluate(mock)
    assert result.passed, result.failed()
    found = statuses(result)
    assert found["client.environment_host"] is Status.PASS
    assert found["client.utc"] is Status.PASS
    assert found["client.pagination"] is Status.PASS  # pages of 3 over 7 orders
    operations = {e.operation for e in mock.journal.entries() if e.status == 200}
    assert {
        "token",
        "get_all_orders",
        "get_an_order",
        "get_inventory",
        "update_inventory",
        "ship_order",
    } <= operations


def test_the_adapter_passes_under_every_scenario_that_applies() -> None:
    scenarios = (
        "token-expiry:ttl=0.4",
        "rate-limit-burst:every=6,window=0.2",
        "server-errors:every=7",
        "pagination-edges",
    )
    with served(scenarios) as (mock, env):
        assert adapter.main({**env, "CLAWCHECK_DURATION": "1"}) == 0
    result = evaluate(mock)
    assert result.passed, result.failed()
    found = statuses(result)
    for check in ("client.retry_after", "client.token_refresh", "client.pagination", "client.qps"):
        assert found[check] is Status.PASS, check
    assert found["client.signing"] is Status.SKIP  # Walmart signs nothing


def test_the_adapter_runs_as_a_command() -> None:
    with served() as (mock, env):
        run = subprocess.run(
            [sys.executable, str(ADAPTER_PATH)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "walmart adapter: ok"
    assert evaluate(mock).passed


def test_missing_credentials_exit_1_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert adapter.main({"CLAWCHECK_ENV": "sandbox"}) == 1
    assert capsys.readouterr().err.strip() == "walmart adapter: WALMART_CLIENT_ID is not set"


def test_a_production_adapter_uses_the_production_host() -> None:
    with served(environment="production") as (mock, env):
        assert adapter.main(env) == 0
    assert {e.host for e in mock.journal.entries()} == {PRODUCTION_HOST}


class IgnoresThrottle(adapter.Adapter):  # type: ignore[misc,name-defined]
    def wait_after_throttle(self, api: str, seconds: float) -> None:
        pass


class WrongHost(adapter.Adapter):  # type: ignore[misc,name-defined]
    def host(self) -> str:
        return PRODUCTION_HOST


class KeepsExpiredToken(adapter.Adapter):  # type: ignore[misc,name-defined]
    def needs_refresh(self) -> bool:
        return self.token is None

    def refresh(self) -> None:
        if self.token is None:
            super().refresh()


class LocalTime(adapter.Adapter):  # type: ignore[misc,name-defined]
    def timestamp(self, moment: datetime) -> str:
        return moment.astimezone().replace(tzinfo=None).isoformat(timespec="seconds")


class DecodesCursor(adapter.Adapter):  # type: ignore[misc,name-defined]
    def next_page(self, cursor: str) -> httpx.Response:
        response: httpx.Response = super().next_page(unquote(cursor))
        return response


@pytest.mark.parametrize(
    ("variant", "scenarios", "check"),
    [
        (IgnoresThrottle, ("rate-limit-burst:every=3,window=0.3",), "client.retry_after"),
        (WrongHost, (), "client.environment_host"),
        (KeepsExpiredToken, ("token-expiry:ttl=0.2",), "client.token_refresh"),
        (LocalTime, (), "client.utc"),
        (DecodesCursor, ("pagination-edges",), "client.pagination"),
    ],
)
def test_one_broken_behaviour_fails_its_check(
    variant: type[Any], scenarios: tuple[str, ...], check: str
) -> None:
    with served(scenarios) as (mock, env):
        if variant is KeepsExpiredToken:
            env = {**env, "CLAWCHECK_DURATION": "0.5"}
        run_variant(variant, env)
    assert statuses(evaluate(mock))[check] is Status.FAIL
