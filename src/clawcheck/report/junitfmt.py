"""junit.xml: one testsuite per stage, one testcase per checklist item, for CI dashboards.

Mapping (docs/reports.md): pass → a passing testcase; fail → `<failure>`; not_run →
`<skipped>`; waived → a *passing* testcase whose `<system-out>` says it was waived, why,
by whom, and what the real outcome was. A waiver is a signed decision to accept the
item, so CI should not go red over it, yet the record stays visible in the test report.
An incomplete run adds a testsuite `run` with one erroring testcase `run.complete`, so a
run that was cut short can never look green.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

from clawcheck.core.checklist import ChecklistItem, ItemStatus
from clawcheck.report._registry import renderer
from clawcheck.report.view import ReportView, measured_text

__all__ = ["render_junit"]

# Characters XML 1.0 cannot carry; a target can put them in an error code that reaches a message.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    return _ILLEGAL_XML.sub("\ufffd", text)


def _seconds(started: str, finished: str) -> float:
    try:
        start = datetime.fromisoformat(started.replace("Z", "+00:00"))
        end = datetime.fromisoformat(finished.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return max(0.0, (end - start).total_seconds())


def _body(view: ReportView, item: ChecklistItem) -> str:
    t = view.t
    lines = [
        f"{t('item')}: {item.title(view.lang)}",
        f"{t('requirement')}: {item.requirement(view.lang)}",
    ]
    if item.operation:
        lines.append(f"{t('operation')}: {item.operation}")
    if item.measured:
        lines.append(f"{t('measured')}: {measured_text(item)}")
    if item.message:
        lines.append(f"{t('message')}: {item.message}")
    if item.evidence:
        lines.append(f"{t('evidence')}: {', '.join(item.evidence)}")
    return _xml("\n".join(lines))


def _testcase(view: ReportView, suite: ET.Element, stage: str, item: ChecklistItem) -> None:
    t = view.t
    case = ET.SubElement(
        suite, "testcase", classname=f"clawcheck.accept.{stage}", name=_xml(item.id), time="0"
    )
    if item.status is ItemStatus.FAIL:
        failure = ET.SubElement(
            case, "failure", message=_xml(item.message or item.title(view.lang)), type=item.id
        )
        failure.text = _body(view, item)
    elif item.status is ItemStatus.NOT_RUN:
        ET.SubElement(case, "skipped", message=_xml(f"{t.status('not_run')}: {item.message}".rstrip(": ")))
    elif item.status is ItemStatus.WAIVED:
        out = ET.SubElement(case, "system-out")
        out.text = _xml(f"{t.status('waived')}: {view.waiver_text(item)}\n{_body(view, item)}")


@renderer("junit", "junit.xml")
def render_junit(view: ReportView) -> bytes:
    c = view.checklist
    counts = c.counts()
    incomplete = not c.complete
    root = ET.Element(
        "testsuites",
        name=_xml(f"clawcheck accept {c.run_id}"),
        tests=str(len(c.items) + incomplete),
        failures=str(counts["fail"]),
        skipped=str(counts["not_run"]),
        errors=str(int(incomplete)),
        time=f"{_seconds(c.started_at, c.finished_at):.3f}",
    )
    for stage, items in view.stages:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"clawcheck.accept.{stage}",
            tests=str(len(items)),
            failures=str(sum(1 for i in items if i.status is ItemStatus.FAIL)),
            skipped=str(sum(1 for i in items if i.status is ItemStatus.NOT_RUN)),
            errors="0",
            time="0",
            timestamp=c.started_at.removesuffix("Z"),
        )
        props = ET.SubElement(suite, "properties")
        for name, value in (
            ("run_id", c.run_id),
            ("environment", c.environment),
            ("target", c.target),
            ("verdict", c.verdict),
            ("lang", view.lang),
            ("demo_key", str(c.demo_key).lower()),
        ):
            ET.SubElement(props, "property", name=name, value=_xml(value))
        for item in items:
            _testcase(view, suite, stage, item)
    if incomplete:
        run = "clawcheck.accept.run"
        suite = ET.SubElement(root, "testsuite", name=run, tests="1", failures="0", skipped="0", errors="1")
        case = ET.SubElement(suite, "testcase", classname=run, name="run.complete", time="0")
        ET.SubElement(case, "error", message=_xml(view.t("verdict.incomplete_note")), type="incomplete")
    ET.indent(root)
    return (ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n").encode("utf-8")
