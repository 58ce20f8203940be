"""The harness's own checks: what the OpenAPI shape alone cannot say.

Each check is one registered `Check`. Three kinds:

- response: looks at one exchange (`fn(ctx) -> bool`, True when it applied);
- probe: may send extra requests through `ctx.prober` (replays, missing tokens);
- scenario: drives its own traffic once per run (`fn(ctx) -> str`, the pass message).

A failing check raises `CheckFailed`; a scenario that cannot be verified against
this target raises `NotVerifiable`, which is reported as `skip`, never as `pass`.
"""

from __future__ import annotations

from clawcheck.contract.checks._base import (
    CHECKS,
    Check,
    CheckFailed,
    CheckInput,
    CheckKind,
    NotVerifiable,
    OperationInfo,
    Prober,
    ScenarioInput,
    check,
)

__all__ = [
    "CHECKS",
    "Check",
    "CheckFailed",
    "CheckInput",
    "CheckKind",
    "NotVerifiable",
    "OperationInfo",
    "Prober",
    "ScenarioInput",
    "check",
    "load_all",
]


def load_all() -> None:
    """Import every check module once so that each registers itself."""
    from clawcheck.contract.checks import auth, datetimes, envelope, idempotency, inventory, ratelimit  # noqa: F401
