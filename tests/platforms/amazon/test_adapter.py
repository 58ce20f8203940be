"""The reference adapter against the mock over real HTTP, and its journal under the checks.

Each broken variant is the adapter with exactly one behaviour changed; the check that
guards that behaviour must fail, which shows both the adapter and the checks mean it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import ModuleType
from typing import Any

import pytest

from clawcheck.core.results import Status, SuiteResult
from clawcheck.platforms.amazon import Amazon
from clawcheck.platforms.behaviour import evaluate
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import in_process

from .conftest import ADAPTER, NA_PRODUCTION, NORTHWIND, make_mock

SHIPPED_BY_ADAPTER = "113-4829316-7720215"


@contextmanager
def served(*scenarios: str, duration: float = 0) -> Iterator[tuple[Mock, dict[str, str]]]:
    """The mock over real HTTP on loopback, and the adapter's environment for it."""
    mock = make_mock(*scenarios)
    with MockServer(mock) as server:
        env = server.env()
        env["CLAWCHECK_DURATION"] = str(duration)
        yield mock, env


@contextmanager
def intercepted(*scenarios: str, duration: float = 0) -> Iterator[tuple[Mock, dict[str, str]]]:
    """The mock in-process at the real host names (no listeners to stop: quicker)."""
    with in_process("amazon", scenarios=scenarios) as mock:
        yield mock, {**mock.adapter_env(), "CLAWCHECK_DURATION": str(duration)}


def status(result: SuiteResult, check_id: str) -> Status:
    return next(c.status for c in result.checks if c.id == check_id)


def run(module: ModuleType, env: dict[str, str], cls: Any = None) -> str | None:
    """Run an adapter class in-process; None on success, else the adapter's failure."""
    adapter = (cls or module.Adapter)(module.Config.from_env(env))
    try:
        adapter.run()
    except module.AdapterError as exc:
        return str(exc)
    finally:
        adapter.client.close()
    return None


def world(mock: Mock) -> Any:
    assert isinstance(mock.platform, Amazon)
    return mock.platform.world


# -- the adapter as written ---------------------------------------------------------------


def test_the_adapter_passes_and_its_journal_passes_every_applicable_check(adapter_module: ModuleType) -> None:
    with served() as (mock, env):
        assert adapter_module.main(env) == 0
    state = world(mock)
    assert state.orders[SHIPPED_BY_ADAPTER].status == "Shipped"
    assert state.listings[(NORTHWIND, "NW-TENT-2P")].quantity == 47
    result = evaluate(mock)
    assert result.passed, [c.message for c in result.failed()]
    for check_id in ("client.qps", "client.environment_host", "client.utc", "client.pagination"):
        assert status(result, check_id) is Status.PASS
    assert status(result, "client.signing") is Status.SKIP  # SP-API signs nothing


def test_the_adapter_runs_as_a_program(tmp_path: Any) -> None:
    with served() as (mock, env):
        completed = subprocess.run(
            [sys.executable, str(ADAPTER)],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert completed.returncode == 0, completed.stderr
    assert evaluate(mock).passed


def test_a_failing_run_exits_1_with_one_line(
    adapter_module: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    with served() as (_, env):
        env["LWA_CLIENT_SECRET"] = "amzn1.oa2-cs.v1.wrong"
        assert adapter_module.main(env) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "invalid_client" in err
    assert "amzn1.oa2-cs.v1.wrong" not in err


def test_the_adapter_waits_after_quota_exceeded(adapter_module: ModuleType) -> None:
    with served("rate-limit-burst:every=9,window=0.5") as (mock, env):
        assert run(adapter_module, env) is None
    assert any(e.status == 429 for e in mock.journal.entries())
    result = evaluate(mock)
    assert status(result, "client.retry_after") is Status.PASS


def test_the_adapter_refreshes_before_the_token_expires(adapter_module: ModuleType) -> None:
    with intercepted("token-expiry:ttl=1", duration=1.2) as (mock, env):
        assert run(adapter_module, env) is None
    assert sum(e.operation == "getLwaAccessToken" for e in mock.journal.entries()) >= 2
    assert status(evaluate(mock), "client.token_refresh") is Status.PASS


def test_the_adapter_follows_awkward_next_tokens_and_survives_server_errors(
    adapter_module: ModuleType,
) -> None:
    with intercepted("pagination-edges", "server-errors:every=4") as (mock, env):
        assert run(adapter_module, env) is None
    assert any(e.status == 503 for e in mock.journal.entries())
    result = evaluate(mock)
    assert result.passed, [c.message for c in result.failed()]
    assert status(result, "client.pagination") is Status.PASS


def test_reactive_refresh_on_the_expired_token_error_passes(adapter_module: ModuleType) -> None:
    class OnlyReactive(adapter_module.Adapter):  # type: ignore[name-defined,misc]
        def needs_refresh(self) -> bool:
            return self.token is None

    with intercepted("token-expiry:ttl=1", duration=1.2) as (mock, env):
        assert run(adapter_module, env, OnlyReactive) is None
    assert any(e.token_state == "expired" for e in mock.journal.entries())
    assert status(evaluate(mock), "client.token_refresh") is Status.PASS


# -- one behaviour broken at a time -------------------------------------------------------


def test_ignoring_the_expired_token_error_fails_token_refresh(adapter_module: ModuleType) -> None:
    class NeverRefreshes(adapter_module.Adapter):  # type: ignore[name-defined,misc]
        def needs_refresh(self) -> bool:
            return self.token is None

        def is_expired(self, response: Any) -> bool:
            return False

    with intercepted("token-expiry:ttl=1", duration=1.2) as (mock, env):
        assert run(adapter_module, env, NeverRefreshes) is not None
    assert status(evaluate(mock), "client.token_refresh") is Status.FAIL


def test_not_waiting_after_a_429_fails_retry_after(adapter_module: ModuleType) -> None:
    class Impatient(adapter_module.Adapter):  # type: ignore[name-defined,misc]
        def wait_after_throttle(self, operation: str, seconds: float) -> None:
            self.sleep(0.05)

    with intercepted("rate-limit-burst:every=9,window=0.5") as (mock, env):
        run(adapter_module, env, Impatient)
    assert status(evaluate(mock), "client.retry_after") is Status.FAIL


def test_no_pacing_fails_qps(adapter_module: ModuleType) -> None:
    class Unpaced(adapter_module.Adapter):  # type: ignore[name-defined,misc]
        def pace(self, operation: str) -> None:
            return None

        def run(self) -> None:
            for _ in range(11):  # getListingsItem's burst is 10
                self.get_quantity("NW-TENT-2P")

    with intercepted() as (mock, env):
        assert run(adapter_module, env, Unpaced) is None  # the 429 is waited out, but it happened
    assert status(evaluate(mock), "client.qps") is Status.FAIL


def test_local_time_without_an_offset_fails_utc(adapter_module: ModuleType) -> None:
    class LocalTime(adapter_module.Adapter):  # type: ignore[name-defined,misc]
        def iso(self, moment: datetime) -> str:
            return (moment + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S")

        def timestamp(self) -> str:
            return (self.now() + timedelta(hours=8)).strftime("%Y%m%dT%H%M%SZ")

    with intercepted() as (mock, env):
        run(adapter_module, env, LocalTime)
    assert status(evaluate(mock), "client.utc") is Status.FAIL


def test_the_production_host_in_a_sandbox_run_fails_environment_host(adapter_module: ModuleType) -> None:
    class WrongHost(adapter_module.Adapter):  # type: ignore[name-defined,misc]
        def host(self) -> str:
            return NA_PRODUCTION

    with intercepted() as (mock, env):
        assert run(adapter_module, env, WrongHost) is None
    assert status(evaluate(mock), "client.environment_host") is Status.FAIL


def test_an_unencoded_next_token_fails_pagination(adapter_module: ModuleType) -> None:
    class RawUrls(adapter_module.Adapter):  # type: ignore[name-defined,misc]
        def call(self, operation: str, method: str, path: str, params: Any = None, body: Any = None) -> Any:
            if params and any(name == "NextToken" for name, _ in params):
                path += "?" + "&".join(f"{name}={value}" for name, value in params)  # no percent-encoding
                params = None
            return super().call(operation, method, path, params, body)

    with intercepted("pagination-edges") as (mock, env):
        assert run(adapter_module, env, RawUrls) is not None
    assert status(evaluate(mock), "client.pagination") is Status.FAIL
