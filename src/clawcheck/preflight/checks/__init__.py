"""The preflight checks: one registered `PreflightCheck` per rule, `fn(probe) -> Verdict`.

A check judges the probe's observations and returns pass, fail, warn or skip with one line
and its evidence; it never raises for a target's misbehaviour (the runner turns an
unexpected exception into a fail, never a pass).
"""

from __future__ import annotations

import importlib

from clawcheck.preflight.checks._base import (
    CHECKS,
    CheckFn,
    PreflightCheck,
    Verdict,
    check,
    failed,
    passed,
    skipped,
    warned,
)

__all__ = [
    "CHECKS",
    "MODULES",
    "CheckFn",
    "PreflightCheck",
    "Verdict",
    "check",
    "failed",
    "load_all",
    "passed",
    "skipped",
    "warned",
]

# The order of a run: is anything there, is the channel safe, is it the right target.
MODULES = ("health", "tls", "clock", "environment", "version")


def load_all() -> None:
    """Import every check module once so that each registers itself, in the run's order."""
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
