"""The parts of delivery on their own: the host policy, the backoff, the new configuration."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clawcheck.errors import ConfigError
from clawcheck.sandbox import SandboxConfig
from clawcheck.sandbox import store as store_module
from clawcheck.sandbox.delivery import Webhooks
from clawcheck.sandbox.hosts import HostPolicy
from clawcheck.sandbox.store import Subscription
from clawcheck.sandbox.timefmt import TimeFormat


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.255.0.9", "::1", "[::1]", "localhost", "LocalHost", "0:0:0:0:0:0:0:1"]
)
def test_loopback_is_always_allowed(host: str) -> None:
    assert HostPolicy().allows(host)


@pytest.mark.parametrize(
    "host",
    [
        "",
        "0.0.0.0",
        "0",
        "127.1",  # resolvers read it as 127.0.0.1, but it is not written as an address
        "127.0.0.1.",  # a DNS name
        "localhost.",
        "sub.localhost",
        "10.0.0.1",
        "::ffff:10.0.0.1",
        "169.254.169.254",
        "example.com",
    ],
)
def test_everything_else_is_refused_by_default(host: str) -> None:
    assert not HostPolicy().allows(host)


def test_allowed_names_and_networks() -> None:
    policy = HostPolicy.parse(["ERP.example.com", "10.1.0.0/16", "192.168.1.10", "[fd00::1]"])
    assert policy.names == frozenset({"erp.example.com"})
    for host in ("erp.example.com", "Erp.Example.Com", "10.1.255.1", "192.168.1.10", "fd00::1", "[fd00::1]"):
        assert policy.allows(host), host
    for host in ("api.example.com", "example.com", "10.2.0.1", "192.168.1.11", "fd00::2"):
        assert not policy.allows(host), host


@pytest.mark.parametrize("entry", ["", "exa mple.com", "http://example.com", "-bad.example", "10.0.0.0/33"])
def test_bad_allow_entries_are_config_errors(entry: str) -> None:
    with pytest.raises(ConfigError, match="webhook allow-host"):
        SandboxConfig(webhook_allow_hosts=frozenset({entry}))


def test_config_defaults_and_iterables() -> None:
    config = SandboxConfig()
    assert (config.webhook_timeout, config.webhook_retry_base, config.webhook_retry_cap) == (5.0, 1.0, 300.0)
    assert (config.webhook_retention, config.webhook_max_in_flight) == (259_200.0, 4)
    assert config.webhook_allow_hosts == frozenset()
    listed = SandboxConfig(webhook_allow_hosts=["a.example", "b.example"])  # type: ignore[arg-type]
    assert listed.webhook_allow_hosts == frozenset({"a.example", "b.example"})
    one = SandboxConfig(webhook_allow_hosts="erp.example.com")  # type: ignore[arg-type]
    assert one.webhook_allow_hosts == frozenset({"erp.example.com"})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"webhook_timeout": 0}, "webhook timeout must be a positive number"),
        ({"webhook_retry_base": -1.0}, "webhook retry base must be a positive number"),
        ({"webhook_retry_cap": float("inf")}, "webhook retry cap must be a positive number"),
        ({"webhook_retention": 0}, "webhook retention must be a positive number"),
        ({"webhook_retry_base": 2.0, "webhook_retry_cap": 1.0}, "retry cap .* must not be less than"),
        ({"webhook_max_in_flight": 0}, "max in flight must be an integer >= 1"),
        ({"webhook_max_in_flight": 2.5}, "max in flight must be an integer >= 1"),
    ],
)
def test_config_rejects_bad_webhook_values(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        SandboxConfig(**options)  # type: ignore[arg-type]


def test_backoff_is_full_jitter_under_an_exponential_ceiling_and_the_cap() -> None:
    webhooks = Webhooks(SandboxConfig(webhook_retry_base=1.0, webhook_retry_cap=300.0), TimeFormat())
    for failures in (1, 2, 5, 9, 10, 100, 100_000):
        ceiling = min(300.0, 2.0 ** min(failures - 1, 60))
        waits = [webhooks._backoff(failures) for _ in range(200)]
        assert all(0.0 <= wait <= ceiling for wait in waits), failures
        assert max(waits) > ceiling / 2  # spread over the whole range, not a fixed delay
    assert len({webhooks._backoff(3) for _ in range(20)}) > 1


def test_the_delivery_log_forgets_finished_deliveries_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "DELIVERIES_PER_SUBSCRIPTION", 3)
    now = datetime(2026, 3, 19, tzinfo=UTC)
    sub = Subscription("sub_1", "http://127.0.0.1:9/", ("order.paid",), "s" * 16, now)
    pending = sub.record("evt_0", "order.paid", b"{}", now)  # stays pending: never forgotten
    for n in range(1, 5):
        sub.record(f"evt_{n}", "order.paid", b"{}", now).status = "delivered"
    assert [d.event_id for d in sub.deliveries] == ["evt_0", "evt_3", "evt_4"]
    assert sub.deliveries[0] is pending
    assert [d.seq for d in sub.deliveries] == [0, 3, 4]
