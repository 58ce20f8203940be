"""LintReport and its conversion into the shared results document."""

from __future__ import annotations

from pathlib import Path

from clawcheck.core.results import Status, SuiteResult
from clawcheck.spec import RULES, LintReport, lint_paths


def test_clean_report_passes_every_rule(data: Path) -> None:
    report = lint_paths([data / "clean.yaml"])
    assert report.ok
    assert report.files == (str(data / "clean.yaml"),)
    result = report.to_suite_result("clean.yaml")
    assert (result.suite, result.target, result.passed) == ("lint", "clean.yaml", True)
    assert [c.id for c in result.checks] == list(RULES.ids())
    assert {c.status for c in result.checks} == {Status.PASS}
    assert result.metrics == {"files": 1, "rules": len(RULES), "findings": 0}


def test_failed_rule_becomes_a_failed_check_with_findings_as_evidence(data: Path, tmp_path: Path) -> None:
    report = lint_paths([data / "clean.yaml", data / "sla_not_looser.yaml"])
    assert not report.ok
    assert len(report.files) == 2
    result = report.to_suite_result("specs")
    assert not result.passed
    (failed,) = result.failed()
    assert failed.id == "sla.not_looser"
    assert failed.title == RULES.get("sla.not_looser").title
    assert failed.message.endswith("lower it to 800 or less (and 1 more)")
    assert [f["pointer"] for f in failed.evidence["findings"]] == [
        "/paths/~1v2~1orders~1create/post/x-sla",
        "/paths/~1v2~1orders/get/x-sla",
    ]
    out = tmp_path / "lint.json"
    result.write_json(out)
    again = SuiteResult.read_json(out)
    assert again.to_dict()["summary"] == {"pass": 5, "fail": 1, "warn": 0, "skip": 0}


def test_report_of_nothing_is_ok() -> None:
    report = LintReport(files=(), findings=())
    assert report.ok
    assert report.to_suite_result("none").checks == ()
