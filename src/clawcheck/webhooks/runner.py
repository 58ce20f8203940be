"""Runs checks against one receiver and builds the results document (`SuiteResult`, suite `webhooks`).

    with open_context(settings) as ctx:      # sender, probe, redactor, the shared control
        record = run_check(ctx, "webhook.duplicate")
    result = run_suite(settings)             # every registered check, in order

Every message and every piece of evidence passes through a `Redactor` that knows the secret.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from clawcheck.core.redact import Redactor
from clawcheck.core.results import CheckRecord, Status, SuiteResult, utc_now
from clawcheck.webhooks import checks
from clawcheck.webhooks.checks import CHECKS, Check, CheckFailed, NotVerifiable, load_all
from clawcheck.webhooks.context import Context
from clawcheck.webhooks.evidence import exchange_evidence, summary
from clawcheck.webhooks.probe import Probe, ProbeError
from clawcheck.webhooks.sender import Sender
from clawcheck.webhooks.settings import ReceiverSettings

__all__ = ["SUITE", "check_ids", "open_context", "run_check", "run_suite"]

SUITE = "webhooks"


def check_ids() -> list[str]:
    """Every check id in the run's order: by module (`checks.MODULES`), then as registered."""
    load_all()
    order = {f"{checks.__name__}.{name}": index for index, name in enumerate(checks.MODULES)}
    return [c.id for c in sorted(CHECKS, key=lambda c: order.get(c.fn.__module__, len(order)))]


@contextmanager
def open_context(settings: ReceiverSettings) -> Iterator[Context]:
    sender = Sender(settings)
    # One connection pool for both: building an httpx client (its TLS context) is not free.
    probe = Probe(settings, http=sender.http) if settings.probe is not None else None
    try:
        yield Context(settings, sender, probe, Redactor([settings.secret]))
    finally:
        sender.close()
        if probe is not None:
            probe.close()


def run_check(ctx: Context, check_id: str) -> CheckRecord:
    """One check's record: pass, fail with evidence, or skip with the reason."""
    load_all()
    chosen = CHECKS.get(check_id)
    try:
        message = chosen.fn(ctx)
    except CheckFailed as failure:
        return _record(ctx, chosen, Status.FAIL, failure.message, _evidence(ctx, failure))
    except NotVerifiable as reason:
        return _record(ctx, chosen, Status.SKIP, str(reason), {})
    except ProbeError as exc:
        message = f"the probe broke during the check: {exc}; processing cannot be verified"
        return _record(ctx, chosen, Status.FAIL, message, {"probe_url": exc.url})
    except Exception as exc:  # a harness defect: never a pass, and the run goes on
        first = (str(exc).splitlines() or [""])[0]
        message = f"the check could not run: {type(exc).__name__}: {first}"
        return _record(ctx, chosen, Status.FAIL, message, {})
    return _record(ctx, chosen, Status.PASS, message, {})


def run_suite(
    settings: ReceiverSettings,
    *,
    only: Iterable[str] | None = None,
    on_record: Callable[[CheckRecord], None] | None = None,
) -> SuiteResult:
    """Every registered check (or `only` these ids) in registration order.

    Ctrl-C stops the run between checks: the result is returned, marked incomplete.
    """
    ids = check_ids() if only is None else list(only)
    load_all()
    for check_id in ids:
        CHECKS.get(check_id)  # an unknown id is a ConfigError before anything is sent
    started, clock = utc_now(), time.perf_counter()
    records: list[CheckRecord] = []
    complete = True
    with open_context(settings) as ctx:
        try:
            for check_id in ids:
                record = run_check(ctx, check_id)
                records.append(record)
                if on_record is not None:
                    on_record(record)
        except KeyboardInterrupt:
            complete = False
        metrics: dict[str, Any] = {
            "checks": len(records),
            "deliveries": ctx.sender.sent,
            "probe": settings.probe is not None,
            "probe_reads": ctx.probe.reads if ctx.probe is not None else 0,
            "duration_s": round(time.perf_counter() - clock, 3),
            **ctx.metrics,
        }
    return SuiteResult(
        suite=SUITE,
        target=settings.url,
        started_at=started,
        finished_at=utc_now(),
        checks=tuple(records),
        metrics=metrics,
        complete=complete,
    )


def _evidence(ctx: Context, failure: CheckFailed) -> dict[str, Any]:
    evidence: dict[str, Any] = {}
    if failure.exchange is not None:
        evidence.update(exchange_evidence(failure.exchange, ctx.redactor))
    if failure.exchanges:
        evidence["deliveries"] = summary(failure.exchanges)
    evidence.update(failure.evidence)
    return evidence


def _record(
    ctx: Context, chosen: Check, status: Status, message: str, evidence: dict[str, Any]
) -> CheckRecord:
    redactor = ctx.redactor
    return CheckRecord(
        id=chosen.id,
        title=chosen.title,
        status=status,
        message=redactor.text(message),
        evidence=redactor.data(evidence),
        title_zh=chosen.title_zh,
    )
