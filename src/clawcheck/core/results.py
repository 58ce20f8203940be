"""The results document: one record type that every suite produces and every format consumes.

    {"suite", "target", "started_at", "finished_at", "passed", "complete",
     "checks": [{"id", "title", "status", "message", "evidence", ...}], "metrics": {}}

`status` is one of pass, fail, warn, skip. A suite passes when no check failed and
the run was complete; `skip` is never counted as a pass by any consumer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

__all__ = [
    "SCHEMA_VERSION",
    "CheckRecord",
    "Status",
    "SuiteResult",
    "utc_now",
]

SCHEMA_VERSION = 1


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"


def utc_now() -> str:
    """Current time as ISO 8601 UTC with a `Z`, the only form clawcheck writes."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(slots=True, frozen=True)
class CheckRecord:
    """The outcome of one check, optionally about one operation (`POST /v2/orders/create`)."""

    id: str
    title: str
    status: Status
    message: str = ""
    evidence: Mapping[str, Any] = field(default_factory=dict)
    operation: str | None = None
    title_zh: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "status": str(self.status),
            "message": self.message,
            "evidence": dict(self.evidence),
        }
        if self.operation is not None:
            data["operation"] = self.operation
        if self.title_zh:
            data["title_zh"] = self.title_zh
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckRecord:
        return cls(
            id=data["id"],
            title=data["title"],
            status=Status(data["status"]),
            message=data.get("message", ""),
            evidence=data.get("evidence", {}),
            operation=data.get("operation"),
            title_zh=data.get("title_zh", ""),
        )


@dataclass(slots=True, frozen=True)
class SuiteResult:
    """Everything one suite run found. Immutable; build it once at the end of a run."""

    suite: str
    target: str
    started_at: str
    finished_at: str
    checks: tuple[CheckRecord, ...] = ()
    metrics: Mapping[str, Any] = field(default_factory=dict)
    complete: bool = True

    @property
    def passed(self) -> bool:
        return self.complete and not any(c.status is Status.FAIL for c in self.checks)

    def failed(self) -> tuple[CheckRecord, ...]:
        return tuple(c for c in self.checks if c.status is Status.FAIL)

    def counts(self) -> dict[str, int]:
        counts = {str(s): 0 for s in Status}
        for check in self.checks:
            counts[str(check.status)] += 1
        return counts

    def with_checks(self, extra: Iterable[CheckRecord]) -> SuiteResult:
        return replace(self, checks=(*self.checks, *extra))

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "suite": self.suite,
            "target": self.target,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "passed": self.passed,
            "complete": self.complete,
            "summary": self.counts(),
            "checks": [c.to_dict() for c in self.checks],
            "metrics": dict(self.metrics),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SuiteResult:
        return cls(
            suite=data["suite"],
            target=data["target"],
            started_at=data["started_at"],
            finished_at=data["finished_at"],
            checks=tuple(CheckRecord.from_dict(c) for c in data.get("checks", ())),
            metrics=data.get("metrics", {}),
            complete=data.get("complete", True),
        )

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read_json(cls, path: Path) -> SuiteResult:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
