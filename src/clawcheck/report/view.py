"""What every format shows, computed once: stages in order, failing evidence, formatted values.

Formats differ in markup only; what counts as failing, how a figure is written and in
which order stages come are decided here, so the HTML, Markdown, JUnit and PDF never
disagree about the same checklist.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import quote, urlsplit

from clawcheck.core.checklist import Checklist, ChecklistItem, ItemStatus
from clawcheck.core.results import CheckRecord, Status
from clawcheck.report.i18n import Texts, texts
from clawcheck.report.loadview import LoadView, load_view

__all__ = [
    "STAGE_ORDER",
    "FailedCheck",
    "ReportView",
    "check_outcome",
    "fmt_value",
    "local_href",
    "measured_text",
    "truncate",
]

STAGE_ORDER = ("preflight", "lint", "contract", "webhooks", "platforms", "load")
EVIDENCE_LIMIT = 4000  # characters of evidence JSON per failed check; the suite file has all of it


def fmt_value(value: Any) -> str:
    """A measured figure as people read it: 4 significant digits, lists joined, nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, list | tuple):
        return ", ".join(fmt_value(v) for v in value) or "—"
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return str(value)


def check_outcome(check: CheckRecord | None) -> str | None:
    """A suite record's own outcome: the load verdict (pass, fail, inconclusive) when it has one."""
    if check is None:
        return None
    return str(check.evidence.get("verdict") or check.status)


def measured_text(item: ChecklistItem) -> str:
    return "; ".join(f"{key}={fmt_value(value)}" for key, value in item.measured.items())


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def local_href(link: str) -> str | None:
    """An evidence link as a relative href, or None when it points anywhere but the report directory.

    Only relative links become links: a report must not send its reader (or a browser
    prefetch) to a host named by data that came from the target.
    """
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("/", "\\")) or ".." in parts.path.split("/"):
        return None
    return quote(link, safe="/#=.-_~")


@dataclass(frozen=True, slots=True)
class FailedCheck:
    """One failed record of a suite, as the failing-evidence section shows it."""

    suite: str
    id: str
    title: str
    operation: str | None
    message: str
    curl: str | None
    details: str  # evidence (without the curl) as indented JSON, truncated
    truncated: bool
    link: str  # the suite document inside the report directory


def _failed_checks(checklist: Checklist, zh: bool) -> list[FailedCheck]:
    found: list[FailedCheck] = []
    for suite_name in _ordered(list(checklist.suites)):
        result = checklist.suites[suite_name]
        for record in result.checks:
            if record.status is not Status.FAIL:
                continue
            evidence = dict(record.evidence)
            curl = evidence.pop("curl", None)
            details = json.dumps(evidence, ensure_ascii=False, indent=2, default=str) if evidence else ""
            found.append(
                FailedCheck(
                    suite=suite_name,
                    id=record.id,
                    title=(record.title_zh or record.title) if zh else record.title,
                    operation=record.operation,
                    message=record.message,
                    curl=str(curl) if curl else None,
                    details=truncate(details, EVIDENCE_LIMIT),
                    truncated=len(details) > EVIDENCE_LIMIT,
                    link=f"suites/{suite_name}.json",
                )
            )
    return found


def _ordered(stages: list[str]) -> list[str]:
    known = [s for s in STAGE_ORDER if s in stages]
    return known + [s for s in stages if s not in STAGE_ORDER]


def _parse(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None


class ReportView:
    """A checklist with its language and everything derived from it that more than one format needs."""

    def __init__(self, checklist: Checklist) -> None:
        self.checklist = checklist
        self.t: Texts = texts(checklist.lang)

    @property
    def lang(self) -> str:
        return "zh-CN" if self.t.zh else "en"

    @cached_property
    def stages(self) -> list[tuple[str, list[ChecklistItem]]]:
        grouped = self.checklist.by_stage()
        return [(stage, grouped[stage]) for stage in _ordered(list(grouped))]

    @cached_property
    def waived(self) -> list[ChecklistItem]:
        return [item for item in self.checklist.items if item.waiver is not None]

    @cached_property
    def unmet(self) -> list[ChecklistItem]:
        return [item for item in self.checklist.items if not item.accepted]

    @cached_property
    def failures(self) -> list[FailedCheck]:
        return _failed_checks(self.checklist, self.t.zh)

    @cached_property
    def load(self) -> LoadView | None:
        result = self.checklist.suites.get("load")
        if result is not None:
            return load_view(result.metrics, result.checks)
        # A checklist built without its suites may still carry the load metrics itself.
        if "operations" in self.checklist.metrics:
            return load_view(self.checklist.metrics, ())
        return None

    def counts(self) -> dict[str, int]:
        return self.checklist.counts()

    def time_range(self) -> str:
        return f"{self.checklist.started_at} – {self.checklist.finished_at}"

    def duration(self) -> str:
        start, end = _parse(self.checklist.started_at), _parse(self.checklist.finished_at)
        if start is None or end is None:
            return "—"
        seconds = max(0.0, (end - start).total_seconds())
        minutes, rest = divmod(seconds, 60)
        return f"{int(minutes)} min {rest:.1f} s" if minutes else f"{rest:.1f} s"

    def verdict_word(self) -> str:
        return self.t.verdict(self.checklist.verdict)

    def status_word(self, item: ChecklistItem) -> str:
        return self.t.status(str(item.status))

    def waiver_text(self, item: ChecklistItem) -> str:
        """The waiver as one line, e.g. 豁免原因: …；签署人: 张三（卖家）；实际结果: 未通过."""
        waiver = item.waiver
        if waiver is None:
            return ""
        t = self.t
        outcome = t.status(str(item.outcome or ItemStatus.FAIL))
        role = f"（{t.role(waiver.role)}）" if t.zh else f" ({t.role(waiver.role)})"
        sep = "；" if t.zh else "; "
        colon = "：" if t.zh else ": "
        return sep.join(
            (
                f"{t('waiver.reason')}{colon}{waiver.reason}",
                f"{t('waiver.signer')}{colon}{waiver.signer}{role}",
                f"{t('waiver.outcome')}{colon}{outcome}",
            )
        )

    def metadata(self) -> list[tuple[str, str]]:
        """(label, value) rows of the header, in the order every format prints them."""
        c, t = self.checklist, self.t
        return [
            (t("run_id"), c.run_id),
            (t("environment"), c.environment),
            (t("target"), c.target),
            (t("time_range"), self.time_range()),
            (t("duration"), self.duration()),
            (t("verdict"), self.verdict_word()),
        ]

    def provenance(self) -> list[tuple[str, str]]:
        return [(str(key), fmt_value(value)) for key, value in self.checklist.provenance.items()]
