"""The client-behaviour suite: a seller's adapter against a mock platform, one test per check.

    pytest suites/test_client_behaviour.py                      # every reference adapter, every platform
    pytest suites/test_client_behaviour.py --platform shopee --adapter "node dist/shopee-sync.js" \\
        --mock-scenario token-expiry:ttl=5 --mock-scenario rate-limit-burst --adapter-duration 15

The adapter is any command: it gets the mock's URLs (CLAWCHECK_BASE_URL, CLAWCHECK_HOSTS), its
environment (CLAWCHECK_ENV) and the platform's credentials in its environment, does its work and
exits. The checks are `clawcheck client`'s (src/clawcheck/platforms/behaviour.py); a check the
run gave nothing to judge (no 429, no expiry) is skipped with the scenario that would, never passed.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clawcheck.core.results import Status, SuiteResult
from clawcheck.errors import ContractFailure
from clawcheck.platforms import load_all
from clawcheck.platforms.behaviour import CLIENT_CHECKS

CHECK_IDS = ["client.adapter_exit", *CLIENT_CHECKS.names()]
_REFERENCE_ADAPTERS = Path(__file__).resolve().parents[1] / "examples" / "adapters"


@dataclass(frozen=True)
class ClientTarget:
    platform: str
    command: str
    scenarios: tuple[str, ...]
    environment: str
    duration: float
    timeout: float

    def __str__(self) -> str:
        return self.platform + ("+" + "+".join(self.scenarios) if self.scenarios else "")


# The reference adapters' second, slow run: every scenario that gives a check something to judge.
_JUDGED = ("pagination-edges", "rate-limit-burst:every=6,window=0.5", "token-expiry:ttl=2")


def client_targets(config: pytest.Config) -> list[Any]:
    option = config.getoption
    if option("--adapter"):
        if not option("--platform"):
            raise pytest.UsageError("--adapter needs --platform (the mock the adapter talks to)")
        return [
            ClientTarget(
                option("--platform"),
                option("--adapter"),
                tuple(option("--mock-scenario")),
                option("--mock-env"),
                option("--adapter-duration"),
                option("--adapter-timeout"),
            )
        ]
    targets: list[Any] = []
    for platform in load_all():
        adapter = _REFERENCE_ADAPTERS / f"{platform.name}_adapter.py"
        command = f"{shlex.quote(sys.executable)} {shlex.quote(str(adapter))}"
        plain = ClientTarget(platform.name, command, (), "sandbox", 0.0, 60.0)
        judged = tuple(s for s in _JUDGED if s.split(":")[0] in platform.scenarios)
        faulty = ClientTarget(platform.name, command, judged, "sandbox", 3.0, 60.0)
        targets += [
            pytest.param(plain, id=str(plain)),
            pytest.param(faulty, id=str(faulty), marks=pytest.mark.slow),
        ]
    return targets


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "client_target" in metafunc.fixturenames:
        targets = [
            t if hasattr(t, "marks") else pytest.param(t, id=str(t)) for t in client_targets(metafunc.config)
        ]
        metafunc.parametrize("client_target", targets)


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_client(
    client_target: ClientTarget, check_id: str, client_result_for: Callable[[ClientTarget], SuiteResult]
) -> None:
    __tracebackhide__ = True
    result = client_result_for(client_target)
    record = next(r for r in result.checks if r.id == check_id)
    if record.status is Status.SKIP:
        pytest.skip(f"{check_id}: {record.message}")
    if record.status is Status.FAIL:
        lines = [f"{check_id}: {record.message}"]
        lines += [f"  {key}: {value}" for key, value in record.evidence.items()]
        raise ContractFailure("\n".join(lines), (check_id,))
