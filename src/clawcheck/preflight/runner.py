"""Runs the preflight checks against one target and builds the results document (suite `preflight`).

    result = run_preflight(PreflightSettings(base_url="https://...", environment_kind="sandbox"))

Bad settings (and an expected version the bundled spec contradicts) are a `ConfigError`
before any socket is opened; everything the target does wrong is a record.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from clawcheck.core.redact import Redactor
from clawcheck.core.results import CheckRecord, Status, SuiteResult, utc_now
from clawcheck.errors import ConfigError
from clawcheck.preflight import checks
from clawcheck.preflight.apiversion import major
from clawcheck.preflight.checks import CHECKS, PreflightCheck, Verdict, load_all
from clawcheck.preflight.observe import Probe
from clawcheck.preflight.settings import PreflightSettings
from clawcheck.preflight.specinfo import SpecFacts, bundled_facts

__all__ = ["SUITE", "check_ids", "run_check", "run_preflight"]

SUITE = "preflight"


def check_ids() -> list[str]:
    """Every check id in the run's order: by module (`checks.MODULES`), then as registered."""
    load_all()
    order = {f"{checks.__name__}.{name}": index for index, name in enumerate(checks.MODULES)}
    return [c.id for c in sorted(CHECKS, key=lambda c: order.get(c.fn.__module__, len(order)))]


def _facts_for(settings: PreflightSettings) -> SpecFacts:
    facts = bundled_facts()
    expected = settings.expected_api_version
    if expected is not None and major(expected) != facts.api_major:
        raise ConfigError(
            f"expected API version {expected!r} contradicts the bundled spec ({facts.api_version}); "
            f"expect v{facts.api_major}, or pass no expected version"
        )
    return facts


def run_check(probe: Probe, check_id: str, redactor: Redactor | None = None) -> CheckRecord:
    """One check's record. A harness defect is a fail naming the exception, never a pass."""
    load_all()
    chosen = CHECKS.get(check_id)
    try:
        verdict = chosen.fn(probe)
    except Exception as exc:
        first = (str(exc).splitlines() or [""])[0]
        verdict = Verdict(Status.FAIL, f"the check could not run: {type(exc).__name__}: {first}")
    return _record(chosen, verdict, redactor or Redactor([probe.target.password]))


def run_preflight(
    settings: PreflightSettings,
    *,
    only: Iterable[str] | None = None,
    on_record: Callable[[CheckRecord], None] | None = None,
    clock: Callable[[], float] = time.time,
) -> SuiteResult:
    """Every registered check (or `only` these ids) in the run's order.

    Nothing raises for the target's faults (an unreachable target is a failed
    `preflight.health`); Ctrl-C stops between checks and the result is marked incomplete.
    """
    ids = check_ids() if only is None else list(only)
    for check_id in ids:
        CHECKS.get(check_id)  # an unknown id is a ConfigError before anything is sent
    probe = Probe(settings, _facts_for(settings), clock=clock)
    redactor = Redactor([probe.target.password])
    started, begun = utc_now(), time.perf_counter()
    records: list[CheckRecord] = []
    complete = True
    try:
        for check_id in ids:
            record = run_check(probe, check_id, redactor)
            records.append(record)
            if on_record is not None:
                on_record(record)
    except KeyboardInterrupt:
        complete = False
    return SuiteResult(
        suite=SUITE,
        target=probe.target.display,
        started_at=started,
        finished_at=utc_now(),
        checks=tuple(records),
        metrics=_metrics(probe, len(records), time.perf_counter() - begun),
        complete=complete,
    )


def _metrics(probe: Probe, count: int, duration: float) -> dict[str, Any]:
    metrics: dict[str, Any] = {
        "checks": count,
        "duration_s": round(duration, 3),
        "environment": probe.settings.environment_kind,
        "spec_version": probe.facts.api_version,
    }
    made = probe.made()
    if "health" in made:
        metrics["health_ms"] = round(probe.health.elapsed_s * 1000, 1)
        metrics["health_status"] = probe.health.status_code
    if "handshake" in made:
        metrics["tls_version"] = probe.handshake.version
    return metrics


def _record(chosen: PreflightCheck, verdict: Verdict, redactor: Redactor) -> CheckRecord:
    return CheckRecord(
        id=chosen.id,
        title=chosen.title,
        status=verdict.status,
        message=redactor.text(verdict.message),
        evidence=redactor.data(dict(verdict.evidence)),
        title_zh=chosen.title_zh,
    )
