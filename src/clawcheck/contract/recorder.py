"""Tallies check outcomes per (check, operation) across every generated case, thread-safely.

Hypothesis runs thousands of cases; the results document wants one record per check and
operation: how often it applied, whether it ever failed, and the first failure's evidence.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from clawcheck.contract.exchange import Exchange
from clawcheck.core.redact import Redactor
from clawcheck.core.results import CheckRecord, Status

__all__ = ["CheckMeta", "Recorder", "exchange_evidence"]

_BODY_LIMIT = 2048


@dataclass(frozen=True, slots=True)
class CheckMeta:
    id: str
    title: str
    title_zh: str = ""


@dataclass(slots=True)
class _Tally:
    applied: int = 0
    failed: int = 0
    message: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    skip_reason: str = ""
    note: str = ""


class Recorder:
    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self._lock = threading.Lock()
        self._tallies: dict[tuple[str, str | None], _Tally] = {}
        self.statuses: Counter[str] = Counter()
        self.cases: Counter[str] = Counter()
        self.requests = 0
        self.failures = 0  # every failed outcome, so a caller can tell whether a phase found any

    def _tally(self, check_id: str, operation: str | None) -> _Tally:
        return self._tallies.setdefault((check_id, operation), _Tally())

    def applied(self, check_id: str, operation: str | None) -> int:
        with self._lock:
            tally = self._tallies.get((check_id, operation))
            return tally.applied if tally else 0

    def should_probe(self, check_id: str, operation: str, budget: int) -> bool:
        """Probes cost requests, so each runs `budget` times per operation; once it has failed it always
        runs, so that Hypothesis replaying a failing case sees the same failure."""
        with self._lock:
            tally = self._tallies.get((check_id, operation))
            return tally is None or tally.failed > 0 or tally.applied < budget

    def passed(self, check_id: str, operation: str | None, note: str = "") -> None:
        with self._lock:
            tally = self._tally(check_id, operation)
            tally.applied += 1
            if note:
                tally.note = self.redactor.text(note)

    def failed(self, check_id: str, operation: str | None, message: str, evidence: Mapping[str, Any]) -> None:
        with self._lock:
            tally = self._tally(check_id, operation)
            tally.applied += 1
            tally.failed += 1
            self.failures += 1
            if tally.failed == 1:  # the first failure is the evidence; later ones are usually shrinks of it
                tally.message = self.redactor.text(message)
                tally.evidence = self.redactor.data(dict(evidence))

    def skipped(self, check_id: str, operation: str | None, reason: str) -> None:
        with self._lock:
            self._tally(check_id, operation).skip_reason = self.redactor.text(reason)

    def saw(self, exchange: Exchange, *, case: bool = False) -> None:
        with self._lock:
            self.requests += 1
            self.statuses[str(exchange.status)] += 1
            if case:
                self.cases[exchange.operation] += 1

    def records(self, checks: Iterable[CheckMeta]) -> list[CheckRecord]:
        """One record per (check, operation) it applied to; a check that never applied is one `skip`."""
        records: list[CheckRecord] = []
        with self._lock:
            tallies = dict(self._tallies)
        for meta in checks:
            mine = sorted(
                ((op, t) for (cid, op), t in tallies.items() if cid == meta.id),
                key=lambda item: item[0] or "",
            )
            exercised = [(op, t) for op, t in mine if t.applied]
            if not exercised:
                reasons = [t.skip_reason for _, t in mine if t.skip_reason]
                message = (
                    reasons[0] if reasons else "not exercised: no response in this run was one it applies to"
                )
                records.append(CheckRecord(meta.id, meta.title, Status.SKIP, message, title_zh=meta.title_zh))
                continue
            for op, tally in exercised:
                if tally.failed:
                    status = Status.FAIL
                    message = f"{tally.message} ({tally.failed} of {tally.applied} failed)"
                    evidence = tally.evidence
                else:
                    status = Status.PASS
                    message = tally.note or f"{tally.applied} checked, none failed"
                    evidence = {"checked": tally.applied}
                records.append(
                    CheckRecord(
                        meta.id, meta.title, status, message, evidence, operation=op, title_zh=meta.title_zh
                    )
                )
        return records


def exchange_evidence(exchange: Exchange, redactor: Redactor, **extra: Any) -> dict[str, Any]:
    """What a person needs to reproduce a failure: the curl command and what came back."""
    body_text = exchange.body[:_BODY_LIMIT].decode("utf-8", "replace")
    parsed = exchange.json()
    evidence: dict[str, Any] = {
        "operation": exchange.operation,
        "curl": redactor.text(exchange.request.curl()),
        "request": {"method": exchange.request.method, "url": exchange.request.url},
        "response": {
            "status": exchange.status,
            "trace_id": exchange.header("x-openclaw-trace-id"),
            "headers": redactor.headers(dict(exchange.headers)),
            "body": redactor.data(parsed) if parsed is not None else redactor.text(body_text),
            "elapsed_ms": round(exchange.elapsed * 1000, 3),
        },
    }
    evidence.update(extra)
    return evidence
