"""The reference adapter passes against the mock, and each behaviour broken alone is caught.

One run is real: real HTTP on loopback, real time. The others run in-process on a virtual
clock shared by the adapter (`now`, `sleep`) and the mock, so that bans, pacing and token
expiry take no wall-clock time.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from clawcheck.core.results import Status
from clawcheck.platforms import build_mock
from clawcheck.platforms.behaviour import evaluate
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.journal import JournalEntry
from clawcheck.platforms.lazada import Lazada
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import intercept_httpx

ADAPTER = Path(__file__).parents[3] / "examples" / "adapters" / "lazada_adapter.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lazada_adapter", ADAPTER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


adapter_module = _load()
Adapter: Any = adapter_module.Adapter
LazadaError: Any = adapter_module.LazadaError


@dataclass
class VirtualTime:
    now: float = 1_795_000_000.0
    mono: float = 1000.0

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.now += seconds
            self.mono += seconds


def _env(mock: Mock, sellers: int, **extra: str) -> dict[str, str]:
    env = {**mock.adapter_env(), "CLAWCHECK_HOSTS": "{}", **extra}
    records = json.loads(env["LAZADA_SELLER_TOKENS"])[:sellers]
    env["LAZADA_SELLER_TOKENS"] = json.dumps(records)
    return env


@dataclass
class Run:
    mock: Mock
    adapter: Any
    lines: list[str]
    error: Exception | None

    def check(self, check_id: str) -> Any:
        return next(c for c in evaluate(self.mock).checks if c.id == check_id)


def _virtual_run(adapter_class: Any = None, *scenarios: str, sellers: int = 1, duration: float = 0) -> Run:
    time = VirtualTime()
    mock = Mock(Lazada, scenarios=scenarios, clock=lambda: time.now, monotonic=lambda: time.mono)
    base = adapter_class or Adapter

    class OnVirtualTime(base):  # type: ignore[misc, valid-type]
        def now(self) -> float:
            return time.now

        def sleep(self, seconds: float) -> None:
            time.sleep(seconds)

        def send(self, *args: Any, **kwargs: Any) -> Any:
            time.sleep(0.002)  # the network is not instantaneous
            return super().send(*args, **kwargs)

    lines: list[str] = []
    error: Exception | None = None
    with intercept_httpx(mock):
        adapter = OnVirtualTime(_env(mock, sellers, CLAWCHECK_DURATION=str(duration)))
        try:
            lines = adapter.run()
        except LazadaError as exc:
            error = exc
        finally:
            adapter.http.close()
    mock.close()
    return Run(mock, adapter, lines, error)


def _early_retries(entries: list[JournalEntry]) -> list[str]:
    """Requests sent to a seller before the ban the previous refusal advertised was over."""
    early = []
    for refusal in (e for e in entries if e.throttle):
        following = next((e for e in entries if e.seq > refusal.seq and e.shop == refusal.shop), None)
        if following and following.at < refusal.finished + (refusal.retry_after or 0) - 0.005:
            early.append(following.label())
    return early


# -- the real run -----------------------------------------------------------------------------


@pytest.fixture
def served() -> Iterator[tuple[Mock, MockServer]]:
    mock = build_mock("lazada")
    with MockServer(mock) as server:
        yield mock, server


def test_the_adapter_passes_over_real_http(served: tuple[Mock, MockServer]) -> None:
    mock, server = served
    adapter = Adapter({**server.env(), **_env(mock, 1), "CLAWCHECK_HOSTS": server.env()["CLAWCHECK_HOSTS"]})
    with adapter.http:
        lines = adapter.run()
    assert lines[0].startswith("seller 1000200101: 7 orders")
    assert "shipped order" in lines[0]
    result = evaluate(mock)
    assert result.passed, [(c.id, c.message) for c in result.checks if c.status is Status.FAIL]
    statuses = {c.id: c.status for c in result.checks}
    assert statuses["client.signing"] is statuses["client.qps"] is statuses["client.utc"] is Status.PASS


@pytest.mark.slow
def test_the_adapter_command_serves_every_seller(served: tuple[Mock, MockServer]) -> None:
    mock, server = served
    env = {**os.environ, **server.env(), "CLAWCHECK_DURATION": "0"}
    done = subprocess.run(
        [sys.executable, str(ADAPTER)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3
    assert evaluate(mock).passed


def test_main_exits_1_with_one_line_when_it_cannot_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("LAZADA_APP_KEY", raising=False)
    assert adapter_module.main() == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("lazada adapter failed: KeyError")


# -- scenarios, on virtual time ---------------------------------------------------------------


def test_every_seller_is_served_in_one_pass() -> None:
    run = _virtual_run(sellers=3)
    assert run.error is None
    assert [line.split(":")[0] for line in run.lines] == [
        "seller 1000200101",
        "seller 1000200202",
        "seller 1000200303",
    ]
    assert evaluate(run.mock).passed


def test_token_expiry_is_handled_by_refreshing_ahead() -> None:
    run = _virtual_run(None, "token-expiry:ttl=2", duration=6)
    assert run.error is None
    check = run.check("client.token_refresh")
    assert check.status is Status.PASS, check.message
    assert not [e for e in run.mock.journal.entries() if e.token_state == "expired"]


def test_an_adapter_that_only_refreshes_on_the_error_still_recovers() -> None:
    class OnlyOnError(Adapter):  # type: ignore[misc, valid-type]
        def needs_refresh(self, seller: Any) -> bool:
            return False

    run = _virtual_run(OnlyOnError, "token-expiry:ttl=1")
    assert run.error is None
    expired = [e for e in run.mock.journal.entries() if e.token_state == "expired"]
    assert expired
    assert len({e.token for e in expired}) == len(expired)
    assert run.check("client.token_refresh").status is Status.PASS


def test_reusing_an_expired_token_is_caught() -> None:
    class KeepsOldToken(Adapter):  # type: ignore[misc, valid-type]
        def needs_refresh(self, seller: Any) -> bool:
            return False

        def refresh(self, seller: Any) -> None:
            pass  # asks nothing, keeps the expired token

    run = _virtual_run(KeepsOldToken, "token-expiry:ttl=1")
    assert run.error is not None
    assert run.check("client.token_refresh").status is Status.FAIL


def test_bans_are_waited_out() -> None:
    run = _virtual_run(None, "rate-limit-burst:every=4,window=0.5")
    assert run.error is None
    entries = run.mock.journal.entries()
    assert [e for e in entries if e.throttle == "scenario"]
    assert _early_retries(entries) == []
    assert evaluate(run.mock).passed


def test_ignoring_the_ban_is_caught() -> None:
    class Impatient(Adapter):  # type: ignore[misc, valid-type]
        def wait_after_throttle(self, seller: Any, seconds: float) -> None:
            pass

    run = _virtual_run(Impatient, "rate-limit-burst:every=4,window=0.5")
    assert _early_retries(run.mock.journal.entries())


def test_not_pacing_is_caught() -> None:
    class Unpaced(Adapter):  # type: ignore[misc, valid-type]
        def pace(self, seller: Any) -> None:
            self.sleep(seller.blocked_until - self.now())  # still honours bans

    run = _virtual_run(Unpaced, duration=0.05)
    assert run.check("client.qps").status is Status.FAIL


def test_gateway_failures_are_retried() -> None:
    run = _virtual_run(None, "server-errors:every=3")
    assert run.error is None
    assert [e for e in run.mock.journal.entries() if e.status == 503]
    assert evaluate(run.mock).passed


def test_short_pages_are_followed_to_the_end() -> None:
    run = _virtual_run(None, "pagination-edges")
    assert run.error is None
    assert run.lines[0].startswith("seller 1000200101: 7 orders")
    pages = [e for e in run.mock.journal.entries() if e.operation == "get_orders"]
    assert len(pages) >= 8  # 7 orders, 2 a page, listed twice


def test_a_skewed_platform_clock_is_no_excuse() -> None:
    run = _virtual_run(None, "clock-skew")
    assert run.error is None
    assert evaluate(run.mock).passed


def test_local_date_times_are_caught() -> None:
    from datetime import datetime, timedelta, timezone

    class LocalTime(Adapter):  # type: ignore[misc, valid-type]
        def iso(self, moment: float) -> str:
            return datetime.fromtimestamp(moment, timezone(timedelta(hours=8))).isoformat(timespec="seconds")

    run = _virtual_run(LocalTime)
    assert run.error is None  # Lazada accepts offsets; the harness wants UTC
    assert run.check("client.utc").status is Status.FAIL


def test_a_wrong_signature_is_caught() -> None:
    class LowerCaseSign(Adapter):  # type: ignore[misc, valid-type]
        def sign(self, api: str, params: Any) -> str:
            return str(super().sign(api, params)).lower()

    run = _virtual_run(LowerCaseSign)
    assert isinstance(run.error, LazadaError)
    assert run.error.code == "IncompleteSignature"
    assert run.check("client.signing").status is Status.FAIL
