"""Webhook receiver conformance: the harness plays OpenClaw against a seller's receiver.

    settings = resolve_settings(url=..., secret=..., probe="http://.../probe/{event_id}")
    preflight(settings)                 # unreachable receiver, broken probe: ClawcheckError (exit 2)
    result = run_suite(settings)        # SuiteResult(suite="webhooks"), one record per check

Modules: `settings` (input), `sender` (signed deliveries), `probe` (processing counts),
`checks/` (the registered checks, one per rule of protocol section 2), `context` (what a
check gets), `runner` (records and the results document), `evidence`, `preflight`.
"""

from __future__ import annotations

from clawcheck.webhooks.checks import CHECKS, Check, CheckFailed, CheckKind, NotVerifiable, load_all
from clawcheck.webhooks.context import NO_PROBE, Context
from clawcheck.webhooks.preflight import preflight
from clawcheck.webhooks.probe import Probe, ProbeError
from clawcheck.webhooks.runner import SUITE, check_ids, open_context, run_check, run_suite
from clawcheck.webhooks.sender import Delivery, Exchange, Sender, new_event_id
from clawcheck.webhooks.settings import SECRET_ENV, ReceiverSettings, resolve_settings

__all__ = [
    "CHECKS",
    "NO_PROBE",
    "SECRET_ENV",
    "SUITE",
    "Check",
    "CheckFailed",
    "CheckKind",
    "Context",
    "Delivery",
    "Exchange",
    "NotVerifiable",
    "Probe",
    "ProbeError",
    "ReceiverSettings",
    "Sender",
    "check_ids",
    "load_all",
    "new_event_id",
    "open_context",
    "preflight",
    "resolve_settings",
    "run_check",
    "run_suite",
]
