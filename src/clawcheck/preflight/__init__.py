"""The preflight suite: is the target up, safe to talk to, and the environment it claims to be?

    settings = PreflightSettings(base_url="https://api.sandbox.openclaw.example", environment_kind="sandbox")
    result = run_preflight(settings)     # SuiteResult(suite="preflight"), one record per check

Checks (ids, in run order): preflight.health, preflight.tls.version, preflight.tls.certificate,
preflight.clock_skew, preflight.environment_host, preflight.api_version. See docs/preflight.md.

Modules: `settings` (input), `specinfo` (health path and API version from the bundled spec),
`observe` (the health request), `tlsprobe` (raw TLS handshakes), `hosts` (what a host name
says about its environment), `apiversion`, `checks/` (one registered check per rule),
`runner` (records and the results document).
"""

from __future__ import annotations

from clawcheck.preflight.checks import CHECKS, PreflightCheck, Verdict, load_all
from clawcheck.preflight.hosts import SANDBOX_MARKERS, HostKind, classify_host, is_loopback
from clawcheck.preflight.observe import HealthObservation, Probe
from clawcheck.preflight.runner import SUITE, check_ids, run_check, run_preflight
from clawcheck.preflight.settings import EnvironmentKind, PreflightSettings
from clawcheck.preflight.specinfo import SpecFacts, bundled_facts

__all__ = [
    "CHECKS",
    "SANDBOX_MARKERS",
    "SUITE",
    "EnvironmentKind",
    "HealthObservation",
    "HostKind",
    "PreflightCheck",
    "PreflightSettings",
    "Probe",
    "SpecFacts",
    "Verdict",
    "bundled_facts",
    "check_ids",
    "classify_host",
    "is_loopback",
    "load_all",
    "run_check",
    "run_preflight",
]
