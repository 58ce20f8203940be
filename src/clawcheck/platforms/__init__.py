"""Mock platforms: faithful, stateful imitations of the marketplaces' APIs, and the checks
that read what a client did to them.

    build_mock("shopee", environment="sandbox", scenarios=["token-expiry"]) -> Mock
    Mock.handle(MockRequest) -> MockResponse        (every transport goes through this)
    server.MockServer(mock)                          (real HTTP on loopback, one listener per host)
    testing.in_process("shopee")                     (httpx via respx, requests via an adapter)
    behaviour.evaluate(mock) -> SuiteResult          (the client-behaviour checks)
"""

from __future__ import annotations

from collections.abc import Iterable

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.registry import PLATFORMS, load_all, register
from clawcheck.platforms.scenarios import SCENARIOS, ScenarioSpec

__all__ = ["PLATFORMS", "SCENARIOS", "Mock", "build_mock", "load_all", "register"]


def build_mock(
    name: str,
    *,
    environment: str = "sandbox",
    scenarios: Iterable[str | ScenarioSpec] = (),
    webhook_url: str | None = None,
) -> Mock:
    """A fresh mock of the platform `name` (unknown names: `ConfigError` listing the known ones)."""
    platform = load_all().get(name)
    return Mock(platform, environment=environment, scenarios=scenarios, webhook_url=webhook_url)
