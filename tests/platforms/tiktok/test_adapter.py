"""The reference adapter against the mock over real HTTP, and the behaviour checks on its journal.

Each broken variant subclasses the adapter with exactly one behaviour wrong; the check that
watches that behaviour must fail.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from clawcheck.core.results import Status
from clawcheck.platforms import build_mock
from clawcheck.platforms.behaviour import evaluate
from clawcheck.platforms.engine import Limiter, Mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import in_process

SCRIPT = Path(__file__).resolve().parents[3] / "examples" / "adapters" / "tiktok_adapter.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tiktok_adapter", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


adapter_module = _load()
Adapter: Any = adapter_module.Adapter


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    """One mock over real HTTP for the tests without a scenario (each starts from `fresh`)."""
    with MockServer(build_mock("tiktok")) as running:
        yield running


@pytest.fixture
def fresh(server: MockServer) -> tuple[Mock, dict[str, str]]:
    """The shared mock as new: seed, journal, tokens and rate-limit buckets."""
    server.mock.reset()
    server.mock.limiter = Limiter(server.mock.monotonic)
    return server.mock, server.env()


@contextmanager
def in_memory(*scenarios: str) -> Iterator[tuple[Mock, dict[str, str]]]:
    """A scenario mock answering the adapter at the real host names, in this process (fast)."""
    with in_process("tiktok", scenarios=scenarios) as mock:
        yield mock, mock.adapter_env()


def _statuses(mock: Mock) -> dict[str, Status]:
    return {record.id: record.status for record in evaluate(mock).checks}


def _run(adapter_class: Any, env: dict[str, str], duration: float = 0.0) -> str:
    adapter = adapter_class(env)
    with adapter.client:
        result: str = adapter.run(duration)
    return result


def test_the_adapter_does_the_whole_job_over_http_and_passes_every_applicable_check(
    fresh: tuple[Mock, dict[str, str]],
) -> None:
    mock, env = fresh
    summary = _run(Adapter, env)
    assert summary.startswith("ok: 5 orders")
    suite = evaluate(mock)
    assert suite.passed
    statuses = _statuses(mock)
    for check in ("client.signing", "client.environment_host", "client.qps", "client.utc"):
        assert statuses[check] is Status.PASS, check
    shipped = [e for e in mock.journal.entries() if e.operation == "ship_package"]
    assert [e.status for e in shipped] == [200]
    assert {e.host for e in mock.journal.entries()} == {"open-api-sandbox.tiktokglobalshop.com"}


@pytest.mark.parametrize(
    ("scenario", "duration", "check"),
    [
        ("pagination-edges", 0.0, "client.pagination"),
        ("rate-limit-burst:every=8,window=0.5", 0.0, "client.retry_after"),
        ("server-errors:every=4", 0.0, "client.signing"),
        # Keep working past the 0.3 s lifetime, so that expiry happens while the client works.
        ("token-expiry:ttl=0.3", 1.0, "client.token_refresh"),
        ("clock-skew", 0.0, "client.utc"),
    ],
)
def test_the_adapter_copes_with_each_scenario(scenario: str, duration: float, check: str) -> None:
    with in_memory(scenario) as (mock, env):
        assert _run(Adapter, env, duration).startswith("ok:")
        assert evaluate(mock).passed
        assert _statuses(mock)[check] is Status.PASS


@pytest.mark.slow
def test_the_adapter_copes_with_every_scenario_at_once_for_a_while() -> None:
    scenarios = "token-expiry:ttl=2+rate-limit-burst+server-errors+pagination-edges+clock-skew+slow:delay=0.2"
    with MockServer(build_mock("tiktok", scenarios=[scenarios])) as running:
        mock, env = running.mock, running.env()
        assert _run(Adapter, env, 6.0).startswith("ok:")
        statuses = _statuses(mock)
        assert Status.FAIL not in statuses.values()
        assert Status.SKIP not in statuses.values()


# -- one behaviour broken at a time --------------------------------------------------------


class WrongSecret(Adapter):  # type: ignore[misc,valid-type]
    def sign(self, path: str, query: Any, body: bytes) -> str:
        self.app_secret = self.app_secret[:-1] + "x"
        result: str = super().sign(path, query, body)
        return result


class LocalTime(Adapter):  # type: ignore[misc,valid-type]
    def timestamp(self) -> str:
        return str(int(self.now()) + 8 * 3600)  # UTC+8 wall clock read as if it were UTC


class ProductionHost(Adapter):  # type: ignore[misc,valid-type]
    def host(self, role: str) -> str:
        real = adapter_module.HOSTS["production"][role]  # whatever CLAWCHECK_ENV says
        return str(self.local_hosts.get(real, f"https://{real}"))


class NoWait(Adapter):  # type: ignore[misc,valid-type]
    def wait_after_throttle(self, shop: str) -> float:
        return 0.0


class NoPacing(Adapter):  # type: ignore[misc,valid-type]
    def pace(self, shop: str) -> None:
        return None

    def run(self, duration: float = 0.0) -> str:
        shop = self.shop_cipher()
        # Far past the burst even on a loaded machine, where each call may take milliseconds.
        for _ in range(300):
            self.order(shop, "576461413038785700")
        return "ok"


class NoRefresh(Adapter):  # type: ignore[misc,valid-type]
    def needs_refresh(self) -> bool:
        return False

    def refresh(self) -> None:
        return None


@pytest.mark.parametrize(
    ("broken", "scenario", "duration", "check"),
    [
        (WrongSecret, "", 0.0, "client.signing"),
        (LocalTime, "", 0.0, "client.utc"),
        (ProductionHost, "", 0.0, "client.environment_host"),
        (NoWait, "rate-limit-burst:every=4,window=0.3", 0.0, "client.retry_after"),
        (NoPacing, "", 0.0, "client.qps"),
        (NoRefresh, "token-expiry:ttl=0.3", 1.0, "client.token_refresh"),
    ],
)
def test_a_broken_behaviour_fails_its_check(broken: Any, scenario: str, duration: float, check: str) -> None:
    with in_memory(*filter(None, [scenario])) as (mock, env):
        # Most broken clients also fail at the job; the check is what must say why.
        with contextlib.suppress(adapter_module.AdapterError):
            _run(broken, env, duration)
        assert _statuses(mock)[check] is Status.FAIL


# -- the script as users run it ---------------------------------------------------------------


def _script(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_script_exits_0_on_success_and_1_with_one_line_on_failure(
    fresh: tuple[Mock, dict[str, str]],
) -> None:
    _, env = fresh
    done = _script(env)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("ok: 5 orders over 1 page(s)")
    wrong = _script({**env, "TIKTOK_APP_SECRET": "not-the-secret"})
    assert wrong.returncode == 1
    assert wrong.stderr.count("\n") == 1
    assert "106001" in wrong.stderr
    assert "not-the-secret" not in wrong.stderr
