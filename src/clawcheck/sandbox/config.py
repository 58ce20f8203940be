"""Options of one sandbox instance, validated once at construction."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from clawcheck.errors import ConfigError
from clawcheck.sandbox.faults import FAULTS

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

    def __post_init__(self) -> None:
        # Accept any iterable of names so callers may pass a list or set.
        faults: Iterable[str] = self.faults
        if not isinstance(faults, frozenset):
            object.__setattr__(self, "faults", frozenset(faults))
        if not self.client_id or not self.client_secret:
            raise ConfigError("sandbox client id and client secret must not be empty")
        if not self.version:
            raise ConfigError("sandbox version must not be empty")
        _positive("token ttl", self.token_ttl)
        _positive("rate limit", self.rate_limit)
        unknown = sorted(self.faults - FAULTS.keys())
        if unknown:
            raise ConfigError(
                f"unknown sandbox fault(s): {', '.join(unknown)}; known faults: {', '.join(sorted(FAULTS))}"
            )

    def has(self, fault_name: str) -> bool:
        """Whether the named fault is switched on."""
        return fault_name in self.faults


def _positive(what: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"sandbox {what} must be a number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"sandbox {what} must be a positive number, got {value!r}")
