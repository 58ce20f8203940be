"""The receiver conformance checks: one registered `Check` per rule of protocol section 2.

A check is `fn(ctx) -> str` (the pass message). It raises `CheckFailed` when the receiver
broke the rule, and `NotVerifiable` when the rule cannot be judged here (no probe, or a
premise another check reports as failed): `skip`, never `pass`. Kinds: `wire` (the answers
alone), `processing` (through the probe), `load` (a timed burst).
"""

from __future__ import annotations

import importlib

from clawcheck.webhooks.checks._base import (
    CHECKS,
    Check,
    CheckFailed,
    CheckFn,
    CheckKind,
    NotVerifiable,
    check,
)

__all__ = [
    "CHECKS",
    "MODULES",
    "Check",
    "CheckFailed",
    "CheckFn",
    "CheckKind",
    "NotVerifiable",
    "check",
    "load_all",
]


# The order of a run: what must be accepted, what must be refused, duplicates, then the timed burst.
MODULES = ("acceptance", "rejections", "duplicates", "latency")


def load_all() -> None:
    """Import every check module once so that each registers itself, in the run's order."""
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
