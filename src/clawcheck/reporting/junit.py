"""JUnit XML: one testcase per check record, so CI systems show each check and operation."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime

from clawcheck.core.results import Status, SuiteResult
from clawcheck.reporting._registry import FORMATS


def _seconds(result: SuiteResult) -> float:
    try:
        start = datetime.fromisoformat(result.started_at.replace("Z", "+00:00"))
        end = datetime.fromisoformat(result.finished_at.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return max(0.0, (end - start).total_seconds())


# Characters XML 1.0 cannot carry; a target can put them in an error code that reaches a message.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    return _ILLEGAL_XML.sub("\ufffd", text)


@FORMATS.register("junit")
def render_junit(result: SuiteResult) -> str:
    counts = result.counts()
    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"clawcheck.{result.suite}",
        tests=str(len(result.checks)),
        failures=str(counts["fail"]),
        skipped=str(counts["skip"]),
        errors="0" if result.complete else "1",
        time=f"{_seconds(result):.3f}",
        timestamp=result.started_at,
    )
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="target", value=result.target)
    ET.SubElement(props, "property", name="complete", value=str(result.complete).lower())
    for record in result.checks:
        name = f"{record.id} [{record.operation}]" if record.operation else record.id
        case = ET.SubElement(suite, "testcase", classname=f"clawcheck.{result.suite}", name=_xml(name))
        if record.status is Status.FAIL:
            failure = ET.SubElement(case, "failure", message=_xml(record.message), type=record.id)
            failure.text = _xml(json.dumps(record.evidence, ensure_ascii=False, indent=2))
        elif record.status is Status.SKIP:
            ET.SubElement(case, "skipped", message=_xml(record.message))
        elif record.status is Status.WARN:
            ET.SubElement(case, "system-out").text = _xml(f"warning: {record.message}")
    if not result.complete:
        ET.SubElement(suite, "error", message="the run was interrupted; results are incomplete")
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
