"""The registry of deliberate faults the sandbox can switch on.

Each fault breaks exactly one rule of the protocol, named by the harness check
that must catch it, so the harness can prove every check fails when it should.
Adding a fault is one `_register` call here plus the behaviour where it bites.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "ACCEPT_EXPIRED_TOKEN",
    "ACCEPT_INVALID_TOKEN",
    "AUTH_OPTIONAL",
    "BAD_ERROR_ENVELOPE",
    "FAULTS",
    "IDEMPOTENCY_IGNORES_BODY",
    "LOCAL_TIME",
    "NO_IDEMPOTENCY",
    "NO_RATE_LIMIT",
    "NO_RETRY_AFTER",
    "RACY_INVENTORY",
    "TRACE_ID_MISMATCH",
    "Fault",
]


@dataclass(frozen=True, slots=True)
class Fault:
    """One switchable protocol violation."""

    name: str
    check_id: str  # the harness check that must fail when this fault is on
    description: str


_registry: dict[str, Fault] = {}
FAULTS: Mapping[str, Fault] = MappingProxyType(_registry)


def _register(fault: Fault) -> Fault:
    if fault.name in _registry:  # pragma: no cover - guards against copy-paste mistakes
        raise ValueError(f"fault {fault.name!r} registered twice")
    _registry[fault.name] = fault
    return fault


NO_IDEMPOTENCY = _register(
    Fault(
        "no-idempotency",
        "idempotency.replay",
        "Idempotency-Key is required but ignored: every request executes again",
    )
)
IDEMPOTENCY_IGNORES_BODY = _register(
    Fault(
        "idempotency-ignores-body",
        "idempotency.key_reuse",
        "a reused Idempotency-Key with a different body replays the first response instead of 409",
    )
)
BAD_ERROR_ENVELOPE = _register(
    Fault(
        "bad-error-envelope",
        "errors.envelope",
        'error bodies are flat {"code", "message"} without the "error" wrapper, type and trace_id',
    )
)
TRACE_ID_MISMATCH = _register(
    Fault(
        "trace-id-mismatch",
        "errors.trace_id",
        "error bodies carry a trace_id different from the X-OpenClaw-Trace-Id header",
    )
)
LOCAL_TIME = _register(
    Fault(
        "local-time",
        "datetime.utc",
        "date-times are rendered in UTC+08:00 with the offset instead of UTC with Z",
    )
)
NO_RETRY_AFTER = _register(
    Fault("no-retry-after", "ratelimit.retry_after", "429 responses lack the Retry-After header")
)
NO_RATE_LIMIT = _register(Fault("no-rate-limit", "ratelimit.enforced", "never answers 429"))
AUTH_OPTIONAL = _register(
    Fault(
        "auth-optional",
        "auth.missing",
        "requests without an Authorization header are served as if authenticated",
    )
)
ACCEPT_INVALID_TOKEN = _register(
    Fault("accept-invalid-token", "auth.invalid_token", "an unknown bearer token is accepted")
)
ACCEPT_EXPIRED_TOKEN = _register(
    Fault("accept-expired-token", "auth.expired_token", "expired access tokens are accepted")
)
RACY_INVENTORY = _register(
    Fault(
        "racy-inventory",
        "inventory.non_negative",
        "adjust/reserve/transfer check stock, yield, then write without re-checking: stock goes negative",
    )
)
