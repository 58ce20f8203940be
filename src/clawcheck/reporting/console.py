"""A plain-text summary table for terminals: one line per check, failures with their evidence."""

from __future__ import annotations

from collections import defaultdict

from clawcheck.core.results import CheckRecord, Status, SuiteResult
from clawcheck.reporting._registry import FORMATS

_ORDER = {Status.FAIL: 0, Status.WARN: 1, Status.PASS: 2, Status.SKIP: 3}


@FORMATS.register("console")
def render_console(result: SuiteResult) -> str:
    by_check: dict[str, list[CheckRecord]] = defaultdict(list)
    for record in result.checks:
        by_check[record.id].append(record)
    width = max((len(check_id) for check_id in by_check), default=10)
    lines = [f"{'check':<{width}}  status  operations"]
    rows = []
    for check_id, records in by_check.items():
        worst = min((r.status for r in records), key=_ORDER.__getitem__)
        ops = [r for r in records if r.operation]
        failing = [r for r in ops if r.status is Status.FAIL]
        detail = (
            f"{len(failing)}/{len(ops)} failing"
            if failing
            else (f"{len(ops)} ok" if ops else records[0].message)
        )
        rows.append((_ORDER[worst], check_id, worst, detail))
    for _, check_id, status, detail in sorted(rows):
        lines.append(f"{check_id:<{width}}  {status.value:<6}  {detail}")
    failures = result.failed()
    if failures:
        lines.append("")
        lines.append("Failures:")
        for record in failures:
            where = f" {record.operation}" if record.operation else ""
            lines.append(f"  [{record.id}]{where}: {record.message}")
            curl = record.evidence.get("curl")
            if curl:
                lines.append(f"      reproduce: {curl}")
    counts = result.counts()
    verdict = "PASSED" if result.passed else ("INCOMPLETE" if not result.complete else "FAILED")
    cases = result.metrics.get("cases")
    extra = f", {cases} cases" if cases is not None else ""
    lines.append("")
    lines.append(
        f"{verdict}: {counts['pass']} passed, {counts['fail']} failed, {counts['warn']} warnings, "
        f"{counts['skip']} skipped{extra} against {result.target}"
    )
    return "\n".join(lines) + "\n"
