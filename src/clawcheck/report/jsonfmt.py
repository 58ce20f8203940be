"""checklist.json: the canonical document, exactly `Checklist.to_json()`; the other formats derive from it."""

from __future__ import annotations

from clawcheck.report._registry import renderer
from clawcheck.report.view import ReportView


@renderer("json", "checklist.json")
def render_json(view: ReportView) -> bytes:
    return view.checklist.to_json().encode("utf-8")
