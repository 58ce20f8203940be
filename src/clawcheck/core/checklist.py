"""The acceptance checklist: the document both sides sign, built from every suite's records.

    checklist.json = {"schema_version", "run_id", "tool", "environment", "target", "lang",
                      "started_at", "finished_at", "complete", "verdict", "demo_key",
                      "items": [ChecklistItem...], "suites": {name: SuiteResult}, "metrics": {...},
                      "provenance": {"spec_sha256", "tool_versions", "seeds", "config"}}

An item is one requirement: per operation (contract conformance, P95, success rate) or per
check of a suite. `status` is pass, fail, waived or not_run. A waived item keeps its real
outcome (`outcome`) and carries the waiver (reason, signer): it is shown as waived, never
as pass. The run is accepted only when every required item is pass or waived.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from clawcheck.core.results import SuiteResult

__all__ = [
    "CHECKLIST_SCHEMA_VERSION",
    "Checklist",
    "ChecklistItem",
    "ItemStatus",
    "Waiver",
]

CHECKLIST_SCHEMA_VERSION = 1


class ItemStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WAIVED = "waived"
    NOT_RUN = "not_run"


@dataclass(frozen=True, slots=True)
class Waiver:
    """Why a failed item is accepted anyway, and who said so (name and role)."""

    reason: str
    signer: str
    role: str  # seller | platform

    def to_dict(self) -> dict[str, str]:
        return {"reason": self.reason, "signer": self.signer, "role": self.role}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Waiver:
        return cls(data["reason"], data["signer"], data["role"])


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One line of the checklist.

    `evidence` are links relative to the report directory (`suites/contract.json#check=...`),
    `measured` the figures behind a verdict (p95_ms, samples, success_rate, ...).
    """

    id: str  # stable: "op.createOrder.p95", "webhooks.wrong_secret", "preflight.tls.version"
    stage: str  # preflight | lint | contract | webhooks | platforms | load
    title_zh: str
    title_en: str
    requirement_zh: str
    requirement_en: str
    status: ItemStatus
    required: bool = True
    operation: str | None = None  # "POST /v2/orders/create"
    message: str = ""
    measured: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    waiver: Waiver | None = None
    outcome: ItemStatus | None = None  # the real outcome of a waived item

    def waive(self, waiver: Waiver) -> ChecklistItem:
        if self.status is not ItemStatus.FAIL:
            raise ValueError(f"only a failed item can be waived; {self.id} is {self.status}")
        return replace(self, status=ItemStatus.WAIVED, waiver=waiver, outcome=self.status)

    @property
    def accepted(self) -> bool:
        return self.status in (ItemStatus.PASS, ItemStatus.WAIVED) or not self.required

    def title(self, lang: str) -> str:
        return self.title_zh if lang.startswith("zh") else self.title_en

    def requirement(self, lang: str) -> str:
        return self.requirement_zh if lang.startswith("zh") else self.requirement_en

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "stage": self.stage,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "requirement_zh": self.requirement_zh,
            "requirement_en": self.requirement_en,
            "status": str(self.status),
            "required": self.required,
            "operation": self.operation,
            "message": self.message,
            "measured": dict(self.measured),
            "evidence": list(self.evidence),
        }
        if self.waiver is not None:
            data["waiver"] = self.waiver.to_dict()
            data["outcome"] = str(self.outcome)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChecklistItem:
        waiver = data.get("waiver")
        return cls(
            id=data["id"],
            stage=data["stage"],
            title_zh=data["title_zh"],
            title_en=data["title_en"],
            requirement_zh=data["requirement_zh"],
            requirement_en=data["requirement_en"],
            status=ItemStatus(data["status"]),
            required=data.get("required", True),
            operation=data.get("operation"),
            message=data.get("message", ""),
            measured=data.get("measured", {}),
            evidence=tuple(data.get("evidence", ())),
            waiver=Waiver.from_dict(waiver) if waiver else None,
            outcome=ItemStatus(data["outcome"]) if data.get("outcome") else None,
        )


@dataclass(frozen=True, slots=True)
class Checklist:
    """The whole acceptance run: items, the suites they came from, and where it all came from."""

    run_id: str
    environment: str
    target: str
    started_at: str
    finished_at: str
    items: tuple[ChecklistItem, ...] = ()
    suites: Mapping[str, SuiteResult] = field(default_factory=dict)
    metrics: Mapping[str, Any] = field(default_factory=dict)  # per-operation load data for charts
    provenance: Mapping[str, Any] = field(default_factory=dict)
    lang: str = "zh-CN"
    complete: bool = True
    demo_key: bool = False  # signed (or to be signed) with a throw-away demo key

    @property
    def accepted(self) -> bool:
        return self.complete and bool(self.items) and all(item.accepted for item in self.items)

    @property
    def verdict(self) -> str:
        if not self.complete:
            return "incomplete"
        return "accepted" if self.accepted else "rejected"

    def counts(self) -> dict[str, int]:
        counts = {str(s): 0 for s in ItemStatus}
        for item in self.items:
            counts[str(item.status)] += 1
        return counts

    def by_stage(self) -> dict[str, list[ChecklistItem]]:
        grouped: dict[str, list[ChecklistItem]] = {}
        for item in self.items:
            grouped.setdefault(item.stage, []).append(item)
        return grouped

    def with_items(self, items: Iterable[ChecklistItem]) -> Checklist:
        return replace(self, items=tuple(items))

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CHECKLIST_SCHEMA_VERSION,
            "run_id": self.run_id,
            "environment": self.environment,
            "target": self.target,
            "lang": self.lang,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "complete": self.complete,
            "verdict": self.verdict,
            "demo_key": self.demo_key,
            "summary": self.counts(),
            "items": [item.to_dict() for item in self.items],
            "suites": {name: result.to_dict() for name, result in self.suites.items()},
            "metrics": dict(self.metrics),
            "provenance": dict(self.provenance),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checklist:
        return cls(
            run_id=data["run_id"],
            environment=data["environment"],
            target=data["target"],
            started_at=data["started_at"],
            finished_at=data["finished_at"],
            items=tuple(ChecklistItem.from_dict(i) for i in data.get("items", ())),
            suites={k: SuiteResult.from_dict(v) for k, v in data.get("suites", {}).items()},
            metrics=data.get("metrics", {}),
            provenance=data.get("provenance", {}),
            lang=data.get("lang", "zh-CN"),
            complete=data.get("complete", True),
            demo_key=data.get("demo_key", False),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def read_json(cls, path: Path) -> Checklist:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
