"""Options of one sandbox instance, validated once at construction."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from clawcheck.errors import ConfigError
from clawcheck.sandbox.faults import FAULTS
from clawcheck.sandbox.hosts import HostPolicy
from clawcheck.sandbox.injection import InjectionPlan, LatencyRule

__all__ = ["DEFAULT_CLIENT_ID", "DEFAULT_CLIENT_SECRET", "DEMO_SHOP_ID", "SandboxConfig"]

DEFAULT_CLIENT_ID = "clawcheck-demo"
DEFAULT_CLIENT_SECRET = "clawcheck-demo-secret"  # public on purpose: printed and documented
DEMO_SHOP_ID = "shop_demo"


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    """How a sandbox behaves. `clock` returns epoch seconds; tests inject one to expire tokens."""

    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    token_ttl: float = 7200.0
    rate_limit: float = 10.0  # requests per second per shop; the bucket holds this many
    faults: frozenset[str] = frozenset()
    seed: bool = True
    version: str = "2.0.0"
    clock: Callable[[], float] = field(default=time.time, repr=False, compare=False)
    # Webhook delivery (seconds). Retries wait a random time in [0, min(cap, base * 2 ** (n - 1)))
    # after the n-th failed attempt; a delivery still failing `retention` after its event is `failed`.
    webhook_timeout: float = 5.0
    webhook_retry_base: float = 1.0
    webhook_retry_cap: float = 300.0
    webhook_retention: float = 72 * 3600.0
    webhook_max_in_flight: int = 4  # concurrent attempts per subscription
    # Receiver hosts allowed besides loopback: host names, IP addresses or networks (10.0.0.0/8).
    webhook_allow_hosts: frozenset[str] = frozenset()
    # Deterministic latency and error injection per operation (see `sandbox/injection.py`); also
    # accepts rules or their text form: latency=["GET /healthz latency=20*9,805 errors=4/1000"].
    latency: InjectionPlan | None = None

    def __post_init__(self) -> None:
        plan: object = self.latency
        if plan is not None and not isinstance(plan, InjectionPlan):
            if isinstance(plan, str | LatencyRule):
                plan = (plan,)
            if not isinstance(plan, Iterable):
                raise ConfigError(f"sandbox latency must be an InjectionPlan or rules, got {plan!r}")
            object.__setattr__(self, "latency", InjectionPlan.of(plan) if plan else None)
        # Accept any iterable of names so callers may pass a list or set.
        faults: Iterable[str] = self.faults
        if not isinstance(faults, frozenset):
            object.__setattr__(self, "faults", frozenset(faults))
        hosts: Iterable[str] = self.webhook_allow_hosts
        if isinstance(hosts, str):  # one host, not a set of its characters
            hosts = (hosts,)
        if not isinstance(hosts, frozenset):
            object.__setattr__(self, "webhook_allow_hosts", frozenset(hosts))
        if not self.client_id or not self.client_secret:
            raise ConfigError("sandbox client id and client secret must not be empty")
        if not self.version:
            raise ConfigError("sandbox version must not be empty")
        _positive("token ttl", self.token_ttl)
        _positive("rate limit", self.rate_limit)
        _positive("webhook timeout", self.webhook_timeout)
        _positive("webhook retry base", self.webhook_retry_base)
        _positive("webhook retry cap", self.webhook_retry_cap)
        _positive("webhook retention", self.webhook_retention)
        if self.webhook_retry_cap < self.webhook_retry_base:
            raise ConfigError(
                f"sandbox webhook retry cap ({self.webhook_retry_cap!r}) must not be less than "
                f"the retry base ({self.webhook_retry_base!r})"
            )
        in_flight = self.webhook_max_in_flight
        if isinstance(in_flight, bool) or not isinstance(in_flight, int) or in_flight < 1:
            raise ConfigError(f"sandbox webhook max in flight must be an integer >= 1, got {in_flight!r}")
        HostPolicy.parse(self.webhook_allow_hosts)  # raises ConfigError naming a bad entry
        unknown = sorted(self.faults - FAULTS.keys())
        if unknown:
            raise ConfigError(
                f"unknown sandbox fault(s): {', '.join(unknown)}; known faults: {', '.join(sorted(FAULTS))}"
            )

    def has(self, fault_name: str) -> bool:
        """Whether the named fault is switched on."""
        return fault_name in self.faults

    @property
    def webhook_hosts(self) -> HostPolicy:
        """The receiver hosts webhooks may be delivered to: loopback plus `webhook_allow_hosts`."""
        return HostPolicy.parse(self.webhook_allow_hosts)


def _positive(what: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"sandbox {what} must be a number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"sandbox {what} must be a positive number, got {value!r}")
