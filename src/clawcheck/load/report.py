"""A load run as the project's results document (suite "load") and as a per-operation table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clawcheck.core.results import CheckRecord, Status, SuiteResult
from clawcheck.load.recorder import OperationStats, Recorder
from clawcheck.load.sla import (
    DEFAULT_SLA,
    Outcome,
    SpecOperation,
    Verdict,
    overall,
    p95_verdict,
    success_verdict,
)

__all__ = ["PERCENTILES", "RunInfo", "build_result", "ordered", "render_table", "verdicts"]

PERCENTILES = (0.5, 0.9, 0.95, 0.99)
_STATUS = {Outcome.PASS: Status.PASS, Outcome.FAIL: Status.FAIL, Outcome.INCONCLUSIVE: Status.WARN}


@dataclass(frozen=True, slots=True)
class RunInfo:
    target: str
    started_at: str
    finished_at: str
    complete: bool
    duration_s: float
    settings: Mapping[str, Any]


def ordered(names: set[str] | list[str], operations: Mapping[str, SpecOperation]) -> list[str]:
    """Priority operations first (x-priority 1, 2, …), then the spec's order, then unknown names."""
    position = {name: index for index, name in enumerate(operations)}

    def key(name: str) -> tuple[int, int, str]:
        op = operations.get(name)
        priority = op.priority if op and op.priority is not None else 1_000
        return priority, position.get(name, len(position)), name

    return sorted(set(names), key=key)


def _spec_op(name: str, operations: Mapping[str, SpecOperation]) -> SpecOperation:
    return operations.get(name) or SpecOperation(name, DEFAULT_SLA, None, frozenset())


def verdicts(
    recorder: Recorder, operations: Mapping[str, SpecOperation], required: list[str] | None = None
) -> list[Verdict]:
    """Two verdicts per judged operation, priority first: `required` (the task mix), else every one seen.

    Requests outside the mix (tokens, the orders a `pay` task creates first) are measured and
    reported in the metrics, but not judged: their sample counts follow the scenario, not the mix.
    """
    names = ordered(list(recorder.operations) if required is None else required, operations)
    found: list[Verdict] = []
    for name in names:
        sla = _spec_op(name, operations).sla
        stats = recorder.operations.get(name) or OperationStats(name)
        found.append(p95_verdict(name, stats.raw, sla.p95_ms))
        found.append(success_verdict(name, stats.successes, stats.count, sla.success_rate))
    return found


def _percentiles(stats: OperationStats) -> dict[str, float]:
    raw = stats.raw.percentiles_ms(PERCENTILES)
    raw["max"] = stats.raw.max_us / 1000.0
    return raw


def _operation_metrics(stats: OperationStats) -> dict[str, Any]:
    corrected = stats.corrected.percentiles_ms(PERCENTILES)
    corrected["max"] = stats.corrected.max_us / 1000.0
    return {
        "count": stats.count,
        "failures": stats.failures,
        "success_rate": stats.successes / stats.count if stats.count else None,
        "statuses": dict(stats.statuses),
        "failures_by_status": dict(stats.failure_statuses),
        "failures_by_code": dict(stats.failure_codes),
        "latency_ms": _percentiles(stats),
        "latency_corrected_ms": corrected,
        "histogram": stats.raw.encode(),  # HdrHistogram V2, µs: anyone can recompute the figures
        "histogram_corrected": stats.corrected.encode(),
    }


def _message(verdict: Verdict) -> str:
    if verdict.observed is None:
        return f"{verdict.outcome}: no samples"
    low, high = verdict.interval or (0.0, 0.0)
    if verdict.aspect == "p95":
        return (
            f"{verdict.outcome}: P95 {verdict.observed:.1f} ms (95 % CI {low:.1f}..{high:.1f} ms) vs "
            f"{verdict.threshold:g} ms over {verdict.samples} samples"
        )
    return (
        f"{verdict.outcome}: success {verdict.observed:.4%} (95 % CI {low:.4%}..{high:.4%}) vs "
        f"{verdict.threshold:.2%} over {verdict.samples} requests"
    )


def build_result(
    recorder: Recorder,
    operations: Mapping[str, SpecOperation],
    info: RunInfo,
    required: list[str] | None = None,
) -> SuiteResult:
    found = verdicts(recorder, operations, required)
    checks: list[CheckRecord] = []
    for verdict in found:
        stats = recorder.operations.get(verdict.operation or "") or OperationStats(verdict.operation or "")
        evidence: dict[str, Any] = dict(verdict.to_dict())
        if verdict.aspect == "p95":
            title = f"P95 response time ≤ {verdict.threshold:g} ms"
            evidence["latency_ms"] = _percentiles(stats)
        else:
            title = f"Success rate ≥ {verdict.threshold:.1%}"
            evidence["failures_by_status"] = dict(stats.failure_statuses)
            evidence["failures_by_code"] = dict(stats.failure_codes)
        checks.append(
            CheckRecord(
                id=f"sla.{verdict.aspect}",
                title=title,
                status=_STATUS[verdict.outcome],
                message=_message(verdict),
                evidence=evidence,
                operation=verdict.operation,
            )
        )
    verdict_all = overall(found)
    if not info.complete:
        summary, status = "incomplete: the run was interrupted; no verdict can be signed", Status.FAIL
    elif verdict_all is Outcome.PASS:
        summary, status = f"pass: {len(found)} SLA verdicts passed", Status.PASS
    else:
        counts = {o: sum(1 for v in found if v.outcome is o) for o in Outcome}
        summary = (
            f"{verdict_all}: {counts[Outcome.FAIL]} failed, {counts[Outcome.INCONCLUSIVE]} inconclusive, "
            f"{counts[Outcome.PASS]} passed"
        )
        status = Status.FAIL
    checks.append(
        CheckRecord(
            id="sla.overall",
            title="Every operation meets its SLA",
            status=status,
            message=summary,
            evidence={"verdict": str(verdict_all) if info.complete else "incomplete"},
        )
    )
    total, failures = recorder.total, recorder.total_failures
    metrics: dict[str, Any] = {
        "requests": total,
        "failures": failures,
        "duration_s": round(info.duration_s, 3),
        "rps": round(total / info.duration_s, 2) if info.duration_s > 0 else None,
        "verdict": str(verdict_all) if info.complete else "incomplete",
        "settings": dict(info.settings),
        "operations": {
            name: _operation_metrics(recorder.operations[name])
            for name in ordered(list(recorder.operations), operations)
        },
        "series": recorder.series(),
    }
    return SuiteResult(
        suite="load",
        target=info.target,
        started_at=info.started_at,
        finished_at=info.finished_at,
        checks=tuple(checks),
        metrics=metrics,
        complete=info.complete,
    )


def render_table(result: SuiteResult) -> str:
    """One line per operation: count, failures, percentiles (raw), success rate, both verdicts."""
    ops: Mapping[str, Any] = result.metrics.get("operations", {})
    by_op: dict[str, dict[str, str]] = {}
    for check in result.checks:
        if check.operation:
            by_op.setdefault(check.operation, {})[check.id] = str(check.evidence.get("verdict", check.status))
    for name in ops:  # measured, outside the mix: shown, not judged
        by_op.setdefault(name, {"sla.p95": "not judged", "sla.success_rate": "not judged"})
    width = max([len(n) for n in by_op] + [9])
    header = (
        f"{'operation':<{width}}  {'count':>7} {'fail':>6}  {'p50':>7} {'p90':>7} {'p95':>7} {'p99':>7} "
        f"{'max':>7}  {'success':>8}  {'p95':<12} {'success':<12}"
    )
    lines = [header.rstrip(), "-" * len(header.rstrip())]
    for name, outcome in by_op.items():
        m = ops.get(name, {})
        lat = m.get("latency_ms", {})
        rate = m.get("success_rate")
        lines.append(
            f"{name:<{width}}  {m.get('count', 0):>7} {m.get('failures', 0):>6}  "
            f"{lat.get('p50', 0):>7.1f} {lat.get('p90', 0):>7.1f} {lat.get('p95', 0):>7.1f} "
            f"{lat.get('p99', 0):>7.1f} {lat.get('max', 0):>7.1f}  "
            f"{'-' if rate is None else f'{rate:.3%}':>8}  "
            f"{outcome.get('sla.p95', '-'):<12} {outcome.get('sla.success_rate', '-'):<12}".rstrip()
        )
    verdict = result.metrics.get("verdict", "?")
    lines.append(
        f"overall: {verdict}  ({result.metrics.get('requests', 0)} requests, "
        f"{result.metrics.get('failures', 0)} failures, {result.metrics.get('rps') or 0} req/s; "
        "times in ms, HDR histogram, 3 significant digits)"
    )
    return "\n".join(lines)
